//! The rule tables: which calls, model fields and enum members the notifications crate relies
//! on, and where (the checks that apply them are in the parent module).

use super::super::named;
use generator::ir::{Api, Field, HttpMethod, TypeKind, TypeRef};

pub(super) const MANAGER: &str = "notifications/src/manager/api.rs";
pub(super) const WORKER: &str = "notifications/src/receiver/worker.rs";
pub(super) const EVENTS: &str = "notifications/src/receiver/events.rs";
pub(super) const CRYPTO: &str = "notifications/src/crypto/mod.rs";
pub(super) const LIFECYCLE: &str = "notifications/src/lifecycle.rs";

/// A field's value type as the Rust code uses it (before optionality).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Ty {
    String,
    Bool,
    DateTime,
    /// A generated type by Rust name.
    Named(&'static str),
    /// `Vec<String>`.
    Strings,
    /// `Vec<named type>`.
    ListOf(&'static str),
    /// A string or a generated (string) enum: the code only calls `.as_str()` on it.
    Text,
}

impl Ty {
    pub(super) fn describe(self) -> String {
        match self {
            Ty::String => "a string".to_owned(),
            Ty::Bool => "a boolean".to_owned(),
            Ty::DateTime => "a date-time".to_owned(),
            Ty::Named(name) => format!("`{name}`"),
            Ty::Strings => "an array of strings".to_owned(),
            Ty::ListOf(name) => format!("an array of `{name}`"),
            Ty::Text => "a string or string enum".to_owned(),
        }
    }

    pub(super) fn fits(self, api: &Api, ty: &TypeRef) -> bool {
        let is_named = |want: &str, ty: &TypeRef| matches!(ty, TypeRef::Named(n) | TypeRef::Boxed(n) if n == want);
        match self {
            Ty::String => *ty == TypeRef::String,
            Ty::Bool => *ty == TypeRef::Bool,
            Ty::DateTime => *ty == TypeRef::DateTime,
            Ty::Named(name) => is_named(name, ty),
            Ty::Strings => *ty == TypeRef::Vec(Box::new(TypeRef::String)),
            Ty::ListOf(name) => matches!(ty, TypeRef::Vec(item) if is_named(name, item)),
            Ty::Text => {
                *ty == TypeRef::String
                    || named(api, ty).is_some_and(|def| matches!(def.kind, TypeKind::Enum { .. }))
            }
        }
    }
}

/// Whether the code needs a plain value or an `Option` around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Want {
    /// Required and not nullable: a plain field (and a plain `new` argument).
    Required(Ty),
    /// Not required, or nullable: the code reads it through `Option`.
    Optional(Ty),
}

impl Want {
    pub(super) fn describe(self) -> String {
        match self {
            Want::Required(ty) => format!("required, non-nullable and {}", ty.describe()),
            Want::Optional(ty) => format!("optional and {}", ty.describe()),
        }
    }

    pub(super) fn fits(self, api: &Api, field: &Field) -> bool {
        let optional = !field.required || field.nullable;
        match self {
            Want::Required(ty) => !optional && ty.fits(api, &field.ty),
            Want::Optional(ty) => optional && ty.fits(api, &field.ty),
        }
    }
}

/// Which API versions a rule is about (by the spec's `info.version`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Versions {
    Both,
    /// The receiver reads every payload with the v1.0 models (the envelope is the same).
    V1Only,
}

impl Versions {
    pub(super) fn covers(self, api: &Api) -> bool {
        match self {
            Versions::Both => true,
            Versions::V1Only => api.version == "v1.0",
        }
    }
}

/// A model type the crate uses.
pub(super) struct TypeRule {
    pub(super) name: &'static str,
    pub(super) versions: Versions,
    /// The file that depends on it.
    pub(super) user: &'static str,
    pub(super) fields: &'static [(&'static str, Want)],
    /// The code calls `new` with the `Required` fields above, in this order, so they must be
    /// exactly the type's required fields.
    pub(super) constructor: bool,
}

/// An enum whose variants the crate names.
pub(super) struct EnumRule {
    pub(super) name: &'static str,
    pub(super) user: &'static str,
    /// (Rust variant, wire value).
    pub(super) variants: &'static [(&'static str, &'static str)],
}

/// What a call returns, as the code uses it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Returns {
    Nothing,
    Json(&'static str),
}

/// A generated call the manager makes, in both versions.
pub(super) struct CallRule {
    pub(super) method: HttpMethod,
    pub(super) path: &'static str,
    /// The binding's call from the version client, as the manager writes it.
    pub(super) call: &'static str,
    pub(super) body: Option<&'static str>,
    pub(super) returns: Returns,
}

pub(super) const CALLS: &[CallRule] = &[
    CallRule {
        method: HttpMethod::Post,
        path: "/subscriptions",
        call: "subscriptions().create(&body)",
        body: Some("Subscription"),
        returns: Returns::Json("Subscription"),
    },
    CallRule {
        method: HttpMethod::Get,
        path: "/subscriptions",
        call: "subscriptions().list()",
        body: None,
        returns: Returns::Json("SubscriptionCollectionResponse"),
    },
    CallRule {
        method: HttpMethod::Patch,
        path: "/subscriptions/{subscription-id}",
        call: "subscription(subscription_id).update(&body)",
        body: Some("UpdateSubscriptionRequest"),
        returns: Returns::Json("Subscription"),
    },
    CallRule {
        // Checked before re-creating on `subscriptionRemoved` (the event may be forged).
        method: HttpMethod::Get,
        path: "/subscriptions/{subscription-id}",
        call: "subscription(subscription_id).get()",
        body: None,
        returns: Returns::Json("Subscription"),
    },
    CallRule {
        method: HttpMethod::Delete,
        path: "/subscriptions/{subscription-id}",
        call: "subscription(subscription_id).delete()",
        body: None,
        returns: Returns::Nothing,
    },
    CallRule {
        method: HttpMethod::Post,
        path: "/subscriptions/{subscription-id}/reauthorize",
        call: "subscription(subscription_id).reauthorize()",
        body: None,
        returns: Returns::Nothing,
    },
];

pub(super) const TYPES: &[TypeRule] = &[
    TypeRule {
        name: "Subscription",
        versions: Versions::Both,
        user: MANAGER,
        fields: &[
            ("changeType", Want::Required(Ty::String)),
            ("expirationDateTime", Want::Required(Ty::DateTime)),
            ("notificationUrl", Want::Required(Ty::String)),
            ("resource", Want::Required(Ty::String)),
            ("id", Want::Optional(Ty::String)),
            ("applicationId", Want::Optional(Ty::String)),
            ("includeResourceData", Want::Optional(Ty::Bool)),
            ("encryptionCertificate", Want::Optional(Ty::String)),
            ("encryptionCertificateId", Want::Optional(Ty::String)),
            ("clientState", Want::Optional(Ty::String)),
            ("lifecycleNotificationUrl", Want::Optional(Ty::String)),
        ],
        constructor: true,
    },
    TypeRule {
        name: "UpdateSubscriptionRequest",
        versions: Versions::Both,
        user: MANAGER,
        fields: &[("expirationDateTime", Want::Required(Ty::DateTime))],
        constructor: true,
    },
    TypeRule {
        name: "SubscriptionCollectionResponse",
        versions: Versions::Both,
        user: MANAGER,
        fields: &[("value", Want::Optional(Ty::ListOf("Subscription")))],
        constructor: false,
    },
    TypeRule {
        name: "Presence",
        versions: Versions::Both,
        user: EVENTS,
        fields: &[
            ("id", Want::Optional(Ty::String)),
            ("availability", Want::Optional(Ty::Text)),
            ("activity", Want::Optional(Ty::Text)),
        ],
        constructor: false,
    },
    TypeRule {
        name: "ChangeNotificationCollection",
        versions: Versions::V1Only,
        user: WORKER,
        fields: &[
            ("value", Want::Required(Ty::ListOf("ChangeNotification"))),
            ("validationTokens", Want::Optional(Ty::Strings)),
        ],
        constructor: false,
    },
    TypeRule {
        name: "ChangeNotification",
        versions: Versions::V1Only,
        user: WORKER,
        fields: &[
            ("subscriptionId", Want::Required(Ty::String)),
            (
                "subscriptionExpirationDateTime",
                Want::Optional(Ty::DateTime),
            ),
            ("tenantId", Want::Optional(Ty::String)),
            ("clientState", Want::Optional(Ty::String)),
            ("resourceData", Want::Optional(Ty::Named("ResourceData"))),
            (
                "encryptedContent",
                Want::Optional(Ty::Named("ChangeNotificationEncryptedContent")),
            ),
            (
                "lifecycleEvent",
                Want::Optional(Ty::Named("LifecycleEventType")),
            ),
        ],
        constructor: false,
    },
    TypeRule {
        name: "ResourceData",
        versions: Versions::V1Only,
        user: WORKER,
        fields: &[("id", Want::Optional(Ty::String))],
        constructor: false,
    },
    TypeRule {
        name: "ChangeNotificationEncryptedContent",
        versions: Versions::V1Only,
        user: CRYPTO,
        fields: &[
            ("data", Want::Required(Ty::String)),
            ("dataKey", Want::Required(Ty::String)),
            ("dataSignature", Want::Required(Ty::String)),
            ("encryptionCertificateId", Want::Required(Ty::String)),
            (
                "encryptionCertificateThumbprint",
                Want::Required(Ty::String),
            ),
        ],
        constructor: true,
    },
];

pub(super) const ENUMS: &[EnumRule] = &[EnumRule {
    name: "LifecycleEventType",
    user: LIFECYCLE,
    variants: &[
        ("Missed", "missed"),
        ("ReauthorizationRequired", "reauthorizationRequired"),
    ],
}];
