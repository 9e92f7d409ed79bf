//! How query and header parameter values are written.

/// A value that can be sent as a query or header parameter.
pub trait ParamValue {
    /// The text sent on the wire.
    fn param_value(&self) -> String;
}

macro_rules! display_param {
    ($($t:ty),*) => {
        $(impl ParamValue for $t {
            fn param_value(&self) -> String {
                self.to_string()
            }
        })*
    };
}

display_param!(
    String,
    str,
    bool,
    i32,
    i64,
    f32,
    f64,
    jiff::Timestamp,
    jiff::civil::Date,
    jiff::SignedDuration
);

impl ParamValue for serde_json::Value {
    fn param_value(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// Arrays are sent comma-separated (OpenAPI `style: form, explode: false`, as Graph's
/// `$select` and `$expand` expect).
impl<T: ParamValue> ParamValue for Vec<T> {
    fn param_value(&self) -> String {
        self.iter()
            .map(ParamValue::param_value)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn param_value(&self) -> String {
        (**self).param_value()
    }
}
