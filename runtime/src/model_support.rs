//! What every generated model shares, defined once here instead of in each generated type:
//! the catch-all map of unknown properties, the impls of open string enums, and the JSON
//! reader and writer of object types whose fields are all optional.
//!
//! Plumbing for generated code; the macros and traits are hidden from the docs.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use std::borrow::Cow;
use std::marker::PhantomData;

/// Properties of a JSON object that its type does not list, kept so a round trip loses
/// nothing (Graph adds properties over time).
pub type AdditionalProperties = serde_json::Map<String, serde_json::Value>;

/// The impls an open string enum shares, built on the two the generated code writes itself:
/// an inherent `as_str(&self) -> &str` (the wire value) and `From<&str>` (which keeps unknown
/// values in the fallback variant).
///
/// Adds `From<String>`, `FromStr`, `Display`, serde as a plain string, and
/// [`ParamValue`](crate::ParamValue). Paths are fully qualified because the expansion
/// lands in a module whose spec-derived types may be called `String` or `Result`.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl $crate::ParamValue for $name {
            fn param_value(&self) -> ::std::string::String {
                ::std::borrow::ToOwned::to_owned(self.as_str())
            }
        }
    };
}

/// A generated object type whose fields are all `Option`s, left out of the JSON when `None`:
/// what [`object_impls!`](crate::object_impls) builds its `Deserialize` on. One map visitor
/// ([`deserialize_object`]) serves every such type, so a type only says how to read each of
/// its keys; serde's derive would write a visitor, a key enum and a `flatten` buffer per type.
#[doc(hidden)]
pub trait WireObject: Default {
    /// The type's name, for "expected a ... object" errors.
    const NAME: &'static str;
    /// Reads the value of `key` into its field; `false` when `key` is not one of the fields.
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
    /// The catch-all map that keeps the keys no field takes.
    fn extras(&mut self) -> &mut AdditionalProperties;
}

/// Reads a [`WireObject`] from a JSON object: each key into its field, the others into the
/// catch-all map. Values are read straight from the deserializer, so a field path tracker
/// (`serde_path_to_error`) still names the field that failed.
#[doc(hidden)]
pub fn deserialize_object<'de, D: Deserializer<'de>, T: WireObject>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: WireObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if !object.read_field(&key, &mut map)? {
                let value: serde_json::Value = map.next_value()?;
                object.extras().insert(key.into_owned(), value);
            }
        }
        Ok(object)
    }
}

/// An object key, borrowed from the input when it has no escapes (serde's own `Cow<str>`
/// always copies).
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
            fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Writes an object type as a JSON map: the fields that are `Some`, in declaration order, then
/// the catch-all map's entries (the order serde's derive with `flatten` wrote).
#[doc(hidden)]
pub struct ObjectWriter<M>(M);

impl<M: SerializeMap> ObjectWriter<M> {
    pub fn new<S>(serializer: S) -> Result<Self, S::Error>
    where
        S: Serializer<SerializeMap = M, Ok = M::Ok, Error = M::Error>,
    {
        serializer.serialize_map(None).map(ObjectWriter)
    }

    /// Writes `key` when `value` is `Some`.
    pub fn field<T: serde::Serialize>(
        mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<Self, M::Error> {
        if let Some(value) = value {
            self.0.serialize_entry(key, value)?;
        }
        Ok(self)
    }

    /// Writes the unknown properties and closes the map.
    pub fn end(mut self, extras: &AdditionalProperties) -> Result<M::Ok, M::Error> {
        for (key, value) in extras {
            self.0.serialize_entry(key, value)?;
        }
        self.0.end()
    }
}

/// `Deserialize`, `Serialize` and [`WireObject`] for a generated struct whose fields are all
/// `Option`s: `object_impls!(Presence, additional_properties { id: "id", status_message:
/// "statusMessage" })` names the catch-all field and each field with its wire name.
#[doc(hidden)]
#[macro_export]
macro_rules! object_impls {
    ($name:ident, $extras:ident { $( $field:ident : $wire:literal ),* $(,)? }) => {
        // `unused_variables`: a type without fields never reads `map`.
        #[allow(deprecated, unused_variables)]
        impl $crate::WireObject for $name {
            const NAME: &'static str = ::std::stringify!($name);

            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<bool, A::Error> {
                let known = match key {
                    $( $wire => {
                        self.$field = ::serde::de::MapAccess::next_value(map)?;
                        true
                    } )*
                    _ => false,
                };
                ::std::result::Result::Ok(known)
            }

            fn extras(&mut self) -> &mut $crate::AdditionalProperties {
                &mut self.$extras
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::deserialize_object(deserializer)
            }
        }

        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let object = $crate::ObjectWriter::new(serializer)?;
                $( let object = object.field($wire, &self.$field)?; )*
                object.end(&self.$extras)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    /// A hand-written open enum, shaped like a generated one.
    #[derive(Debug, Clone, PartialEq)]
    enum Light {
        Red,
        Other(String),
    }

    impl Light {
        fn as_str(&self) -> &str {
            match self {
                Self::Red => "red",
                Self::Other(value) => value,
            }
        }
    }

    impl From<&str> for Light {
        fn from(value: &str) -> Self {
            match value {
                "red" => Self::Red,
                other => Self::Other(other.to_owned()),
            }
        }
    }

    crate::open_enum_impls!(Light);

    #[test]
    fn known_values_are_sent_and_read_by_their_wire_value() {
        assert_eq!(serde_json::to_string(&Light::Red).unwrap(), r#""red""#);
        let light: Light = serde_json::from_str(r#""red""#).unwrap();
        assert_eq!(light, Light::Red);
        assert_eq!("red".parse::<Light>().unwrap(), Light::Red);
        assert_eq!(Light::Red.to_string(), "red");
    }

    #[test]
    fn unknown_values_are_kept_verbatim_through_a_round_trip() {
        let light: Light = serde_json::from_str(r#""Red""#).unwrap();
        assert_eq!(light, Light::Other("Red".to_owned()));
        assert_eq!(serde_json::to_string(&light).unwrap(), r#""Red""#);
        assert_eq!(crate::ParamValue::param_value(&light), "Red");
    }

    /// Hand-written object types, shaped like generated all-optional ones.
    #[derive(Debug, Clone, PartialEq, Default)]
    struct Status {
        availability: Option<Light>,
        r#type: Option<i64>,
        inner: Option<Box<Status>>,
        list: Option<Vec<Status>>,
        extras: crate::AdditionalProperties,
    }
    crate::object_impls!(
        Status,
        extras {
            availability: "availability",
            r#type: "@odata.type",
            inner: "inner",
            list: "list",
        }
    );

    #[derive(Debug, Clone, PartialEq, Default)]
    struct Empty {
        extras: crate::AdditionalProperties,
    }
    crate::object_impls!(Empty, extras {});

    #[test]
    fn objects_round_trip_with_fields_in_order_then_unknown_keys() {
        let text = r#"{"zeta":1,"@odata.type":7,"availability":"red","inner":{"list":[{}]},"alpha":[true]}"#;
        let status: Status = serde_json::from_str(text).unwrap();
        assert_eq!(status.availability, Some(Light::Red));
        assert_eq!(status.r#type, Some(7));
        assert_eq!(
            status.inner.as_ref().unwrap().list,
            Some(vec![Status::default()])
        );
        assert_eq!(status.extras.len(), 2);
        // Known fields in declaration order, then the unknown ones (serde_json's map is sorted).
        assert_eq!(
            serde_json::to_string(&status).unwrap(),
            r#"{"availability":"red","@odata.type":7,"inner":{"list":[{}]},"alpha":[true],"zeta":1}"#
        );
    }

    #[test]
    fn null_and_absent_fields_are_none_and_are_left_out() {
        let status: Status = serde_json::from_str(r#"{"availability":null}"#).unwrap();
        assert_eq!(status, Status::default());
        assert_eq!(serde_json::to_string(&status).unwrap(), "{}");
        let empty: Empty = serde_json::from_str(r#"{"a":{"b":null}}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"a":{"b":null}}"#
        );
    }

    #[test]
    fn keys_with_escapes_are_read_like_plain_ones() {
        let status: Status = serde_json::from_str(r#"{"avail\u0061bility":"red"}"#).unwrap();
        assert_eq!(status.availability, Some(Light::Red));
        let from_value: Status =
            serde_json::from_value(serde_json::json!({"@odata.type": 3})).unwrap();
        assert_eq!(from_value.r#type, Some(3));
    }

    #[test]
    fn a_bad_value_is_an_error_that_names_its_path() {
        let text = r#"{"inner":{"list":[{},{"@odata.type":"x"}]}}"#;
        let de = &mut serde_json::Deserializer::from_str(text);
        let error = serde_path_to_error::deserialize::<_, Status>(de).unwrap_err();
        assert_eq!(error.path().to_string(), "inner.list[1].@odata.type");
        let not_object = serde_json::from_str::<Status>("[1]").unwrap_err();
        assert!(
            not_object.to_string().contains("a Status object"),
            "{not_object}"
        );
    }
}
