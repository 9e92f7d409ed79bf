//! What every generated model shares, defined once here instead of in each generated type:
//! the catch-all map of unknown properties and the impls of open string enums.
//!
//! Plumbing for generated code; the macro is hidden from the docs.

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
}
