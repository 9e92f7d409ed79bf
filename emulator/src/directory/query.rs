//! The OData query options of the directory lists, read the way Graph reads them for users:
//! `$top` (1-999, pages of 100 without it), `$skiptoken` (opaque, made by the emulator),
//! `$filter`, `$search`, `$count`, `$orderby`, `$select`, and which of them are advanced
//! queries that need `ConsistencyLevel: eventual`.
//!
//! Decisions (FACTS.md leaves the emulator's subset open):
//! - `$filter`: `startsWith(p,'v')`, `p eq 'v'` (basic) and `endsWith(p,'v')`, `p ne 'v'`
//!   (advanced: the header and `$count=true`, as Graph's docs require) on `id`, `displayName`,
//!   `userPrincipalName`, `mail`, `givenName`, `surname`; values compare ignoring ASCII case.
//!   Anything else is `400 Request_BadRequest`, saying the emulator does not read it.
//! - `$search`: one quoted clause `"property:text"` (advanced), matching when the property
//!   contains the text, ignoring ASCII case.
//! - `$orderby`: one of `displayName`, `userPrincipalName`, `mail`, optionally `asc`/`desc`;
//!   together with `$filter` it is advanced. Without it items come in the store's order.
//! - `$skiptoken`: the offset of the next item, hex-encoded behind a fixed prefix; a token the
//!   emulator did not make is `400 Request_BadRequest`.

use super::store::DirectoryUser;
use crate::odata::ApiError;
use axum::http::StatusCode;

/// Graph's page size when `$top` is not given.
pub const DEFAULT_PAGE: usize = 100;
/// The largest `$top` Graph accepts for users.
pub const MAX_PAGE: usize = 999;

const SKIPTOKEN_PREFIX: &str = "emu-";

/// Properties `$filter`, `$search` and `$select` know.
const PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "givenName",
    "surname",
    "jobTitle",
    "businessPhones",
];

/// The query options of one list request.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ListQuery {
    pub top: Option<usize>,
    pub offset: usize,
    pub filter: Option<Filter>,
    pub search: Option<(String, String)>,
    pub count: bool,
    pub orderby: Option<(String, bool)>,
    pub select: Option<Vec<String>>,
    /// Every option but `$skiptoken`, as sent, for the next link.
    pub kept: Vec<(String, String)>,
}

/// A `$filter` the emulator evaluates.
#[derive(Debug, PartialEq)]
pub(crate) enum Filter {
    StartsWith(String, String),
    EndsWith(String, String),
    Eq(String, String),
    Ne(String, String),
}

impl Filter {
    fn advanced(&self) -> bool {
        matches!(self, Filter::EndsWith(..) | Filter::Ne(..))
    }

    pub fn matches(&self, user: &DirectoryUser) -> bool {
        let (property, value) = match self {
            Filter::StartsWith(p, v)
            | Filter::EndsWith(p, v)
            | Filter::Eq(p, v)
            | Filter::Ne(p, v) => (p, v),
        };
        let actual = property_text(user, property)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let value = value.to_ascii_lowercase();
        match self {
            Filter::StartsWith(..) => actual.starts_with(&value),
            Filter::EndsWith(..) => actual.ends_with(&value),
            Filter::Eq(..) => actual == value,
            Filter::Ne(..) => actual != value,
        }
    }
}

/// A user's text property by its Graph name.
fn property_text(user: &DirectoryUser, property: &str) -> Option<String> {
    match user.to_json().get(property)? {
        serde_json::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn unsupported(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", message)
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
}

impl ListQuery {
    /// Reads `query` (the raw query string); `eventual` is whether the request carried
    /// `ConsistencyLevel: eventual`.
    pub fn parse(query: Option<&str>, eventual: bool) -> Result<ListQuery, ApiError> {
        let mut out = ListQuery::default();
        let pairs = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes());
        for (name, value) in pairs {
            let (name, value) = (name.into_owned(), value.into_owned());
            match name.as_str() {
                "$top" => {
                    let top = value
                        .parse::<usize>()
                        .ok()
                        .filter(|t| (1..=MAX_PAGE).contains(t))
                        .ok_or_else(|| {
                            bad(format!("Invalid page size specified: '{value}'. $top must be 1 to {MAX_PAGE}."))
                        })?;
                    out.top = Some(top);
                }
                "$skiptoken" => {
                    out.offset = value
                        .strip_prefix(SKIPTOKEN_PREFIX)
                        .and_then(|hex| usize::from_str_radix(hex, 16).ok())
                        .ok_or_else(|| bad("The $skiptoken is not one this service issued."))?;
                    continue;
                }
                "$filter" => out.filter = Some(parse_filter(&value)?),
                "$search" => out.search = Some(parse_search(&value)?),
                "$count" => {
                    out.count = match value.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(bad(format!("Invalid $count value '{value}'."))),
                    }
                }
                "$orderby" => out.orderby = Some(parse_orderby(&value)?),
                "$select" => {
                    let fields: Vec<String> =
                        value.split(',').map(|f| f.trim().to_owned()).collect();
                    if let Some(unknown) = fields.iter().find(|f| !PROPERTIES.contains(&f.as_str()))
                    {
                        return Err(bad(format!(
                            "Could not find a property named '{unknown}' on type 'microsoft.graph.user'."
                        )));
                    }
                    out.select = Some(fields);
                }
                _ => {}
            }
            out.kept.push((name, value));
        }
        out.check_advanced(eventual)?;
        Ok(out)
    }

    /// Advanced queries without the header are refused the way Graph refuses them.
    fn check_advanced(&self, eventual: bool) -> Result<(), ApiError> {
        let needs_header = |what: &str| {
            unsupported(format!(
                "{what} is an advanced query: send the header 'ConsistencyLevel: eventual'."
            ))
        };
        if self.search.is_some() && !eventual {
            return Err(needs_header("$search"));
        }
        if self.count && !eventual {
            return Err(needs_header("$count"));
        }
        if self.filter.as_ref().is_some_and(Filter::advanced) && !(eventual && self.count) {
            return Err(unsupported(
                "This $filter (endsWith, ne) is an advanced query: send 'ConsistencyLevel: eventual' and $count=true.",
            ));
        }
        if self.orderby.is_some() && self.filter.is_some() && !eventual {
            return Err(needs_header("$orderby together with $filter"));
        }
        Ok(())
    }

    /// The page size.
    pub fn page_size(&self) -> usize {
        self.top.unwrap_or(DEFAULT_PAGE)
    }

    /// The users this query selects from `all`, filtered, searched and ordered.
    pub fn apply<'a>(&self, all: Vec<&'a DirectoryUser>) -> Vec<&'a DirectoryUser> {
        let mut users: Vec<&DirectoryUser> = all
            .into_iter()
            .filter(|u| self.filter.as_ref().is_none_or(|f| f.matches(u)))
            .filter(|u| {
                self.search.as_ref().is_none_or(|(property, text)| {
                    property_text(u, property).is_some_and(|v| {
                        v.to_ascii_lowercase().contains(&text.to_ascii_lowercase())
                    })
                })
            })
            .collect();
        if let Some((property, descending)) = &self.orderby {
            users.sort_by_key(|u| {
                property_text(u, property)
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            });
            if *descending {
                users.reverse();
            }
        }
        users
    }

    /// The user as this query's `$select` shows it.
    pub fn project(&self, user: &DirectoryUser) -> serde_json::Value {
        let full = user.to_json();
        match &self.select {
            None => full,
            Some(fields) => {
                let mut out = serde_json::Map::new();
                for field in fields {
                    if let Some(value) = full.get(field) {
                        out.insert(field.clone(), value.clone());
                    }
                }
                serde_json::Value::Object(out)
            }
        }
    }

    /// The query string of the page starting at `offset`: every option as sent, plus its
    /// `$skiptoken`.
    pub fn next_query(&self, offset: usize) -> String {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.kept {
            serializer.append_pair(name, value);
        }
        serializer.append_pair("$skiptoken", &format!("{SKIPTOKEN_PREFIX}{offset:x}"));
        serializer.finish()
    }
}

/// `startsWith(displayName,'Ann')`, `mail eq 'a@b'`, `endsWith(mail,'@b')`, `id ne 'x'`.
fn parse_filter(text: &str) -> Result<Filter, ApiError> {
    let text = text.trim();
    let unreadable = || {
        bad(format!(
            "Invalid filter clause: the emulator reads startsWith(p,'v'), endsWith(p,'v'), p eq 'v' and p ne 'v', not '{text}'."
        ))
    };
    let quoted = |s: &str| -> Option<String> {
        let s = s.trim();
        let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
        Some(inner.replace("''", "'"))
    };
    let known = |p: &str| -> Result<String, ApiError> {
        let p = p.trim();
        if PROPERTIES.contains(&p) {
            Ok(p.to_owned())
        } else {
            Err(bad(format!(
                "Property '{p}' cannot be filtered on by the emulator."
            )))
        }
    };
    for (function, make) in [
        (
            "startsWith(",
            Filter::StartsWith as fn(String, String) -> Filter,
        ),
        ("endsWith(", Filter::EndsWith),
    ] {
        if let Some(args) = text
            .strip_prefix(function)
            .and_then(|r| r.strip_suffix(')'))
        {
            let (property, value) = args.split_once(',').ok_or_else(unreadable)?;
            return Ok(make(
                known(property)?,
                quoted(value).ok_or_else(unreadable)?,
            ));
        }
    }
    for (operator, make) in [
        (" eq ", Filter::Eq as fn(String, String) -> Filter),
        (" ne ", Filter::Ne),
    ] {
        if let Some((property, value)) = text.split_once(operator) {
            return Ok(make(
                known(property)?,
                quoted(value).ok_or_else(unreadable)?,
            ));
        }
    }
    Err(unreadable())
}

/// `"displayName:ann"`: Graph wants the clause in double quotes.
fn parse_search(text: &str) -> Result<(String, String), ApiError> {
    let clause = text
        .trim()
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| {
            bad(format!(
                "$search clauses are quoted: \"property:text\", not {text}."
            ))
        })?;
    let (property, term) = clause
        .split_once(':')
        .ok_or_else(|| bad(format!("$search wants \"property:text\", not {text}.")))?;
    if !PROPERTIES.contains(&property) {
        return Err(bad(format!("Property '{property}' cannot be searched.")));
    }
    Ok((property.to_owned(), term.to_owned()))
}

fn parse_orderby(text: &str) -> Result<(String, bool), ApiError> {
    let mut words = text.split_whitespace();
    let property = words.next().unwrap_or_default();
    let descending = match words.next() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => return Err(bad(format!("Invalid $orderby direction '{other}'."))),
    };
    if !["displayName", "userPrincipalName", "mail"].contains(&property) {
        return Err(bad(format!("Sorting by '{property}' is not supported.")));
    }
    Ok((property.to_owned(), descending))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<ListQuery, ApiError>) -> String {
        result.unwrap_err().code
    }

    #[test]
    fn advanced_queries_need_the_header() {
        assert_eq!(
            code(ListQuery::parse(Some("$count=true"), false)),
            "Request_UnsupportedQuery"
        );
        assert_eq!(
            code(ListQuery::parse(
                Some("$search=%22displayName:ann%22"),
                false
            )),
            "Request_UnsupportedQuery"
        );
        assert_eq!(
            code(ListQuery::parse(Some("$filter=endsWith(mail,'@x')"), true)),
            "Request_UnsupportedQuery",
            "endsWith needs $count=true too"
        );
        assert!(ListQuery::parse(Some("$filter=endsWith(mail,'@x')&$count=true"), true).is_ok());
        assert!(ListQuery::parse(Some("$filter=startsWith(displayName,'A')"), false).is_ok());
    }

    #[test]
    fn bad_options_are_bad_requests() {
        for query in [
            "$top=0",
            "$top=1000",
            "$skiptoken=abc",
            "$filter=length(displayName) gt 3",
            "$select=nope",
        ] {
            assert_eq!(
                code(ListQuery::parse(Some(query), true)),
                "Request_BadRequest",
                "{query}"
            );
        }
    }

    #[test]
    fn filters_compare_ignoring_case_and_next_links_keep_the_options() {
        let user = DirectoryUser::new("1", "Ann Lee", "ann@contoso.test");
        let q =
            ListQuery::parse(Some("$filter=startsWith(displayName,'ann')&$top=5"), false).unwrap();
        assert!(q.filter.as_ref().unwrap().matches(&user));
        assert_eq!(q.page_size(), 5);
        let next = q.next_query(10);
        let again = ListQuery::parse(Some(&next), false).unwrap();
        assert_eq!((again.offset, again.top), (10, Some(5)));
        assert_eq!(again.filter, q.filter);
    }
}
