//! The path trie the navigation tree is built from: each path split into segments, and each
//! binding's last segment sorted into an HTTP verb on its builder, an OData segment, or a call.

use super::super::names::GRAPH_NAMESPACE;
use crate::ir::{HttpMethod, Operation};

/// One path segment, split into what selects the builder and the ids it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seg {
    /// `{user-id}`: the whole segment is one id.
    Id(String),
    /// Anything else; `params` are the `{ids}` written inside it (function arguments).
    Literal { text: String, params: Vec<String> },
}

impl Seg {
    pub(super) fn parse(text: &str) -> Seg {
        if let Some(name) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}'))
            && !name.contains(['{', '}'])
        {
            return Seg::Id(name.to_owned());
        }
        let params = text
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        Seg::Literal {
            text: text.to_owned(),
            params,
        }
    }

    pub(super) fn params(&self) -> Vec<String> {
        match self {
            Seg::Id(name) => vec![name.clone()],
            Seg::Literal { params, .. } => params.clone(),
        }
    }
}

/// How a binding is named on its builder.
#[derive(Debug, Clone)]
pub(super) enum MethodKind {
    /// An HTTP method on the builder's own path.
    Verb(HttpMethod),
    /// An OData segment (`$count`) reached with this HTTP method.
    OData(String, HttpMethod),
    /// An action or function segment.
    Call(Seg),
}

#[derive(Default)]
pub(super) struct TrieNode {
    pub(super) segment: Option<Seg>,
    pub(super) children: Vec<usize>,
    /// (operation, binding, how it is named).
    pub(super) methods: Vec<(usize, usize, MethodKind)>,
}

pub(super) fn trie_of(operations: &[Operation]) -> Vec<TrieNode> {
    let split = |path: &str| -> Vec<String> {
        path.trim_start_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let all: Vec<(Vec<String>, HttpMethod)> = operations
        .iter()
        .flat_map(|op| op.bindings.iter().map(|b| (split(&b.path), op.http_method)))
        .collect();
    let continued = |segments: &[String]| {
        all.iter()
            .any(|(other, _)| other.len() > segments.len() && other.starts_with(segments))
    };
    let reached_by_others = |segments: &[String]| {
        all.iter()
            .filter(|(other, _)| other.as_slice() == segments)
            .count()
            > 1
    };
    let mut trie = vec![TrieNode::default()];
    for (o, op) in operations.iter().enumerate() {
        for (b, binding) in op.bindings.iter().enumerate() {
            let segments = split(&binding.path);
            let last = segments.last().map(|s| Seg::parse(s));
            let kind = match last {
                Some(Seg::Literal { ref text, .. }) if text.starts_with('$') => Some(
                    MethodKind::OData(text.trim_start_matches('$').to_owned(), op.http_method),
                ),
                Some(ref seg @ Seg::Literal { ref text, .. })
                    if text.contains('(')
                        || text.starts_with(GRAPH_NAMESPACE)
                        || (op.http_method == HttpMethod::Post
                            && !continued(&segments)
                            && !reached_by_others(&segments)) =>
                {
                    Some(MethodKind::Call(seg.clone()))
                }
                _ => None,
            };
            let node_len = segments.len() - usize::from(kind.is_some());
            let mut at = 0;
            for segment in &segments[..node_len] {
                let seg = Seg::parse(segment);
                at = match trie[at]
                    .children
                    .iter()
                    .find(|&&c| trie[c].segment.as_ref() == Some(&seg))
                {
                    Some(&child) => child,
                    None => {
                        trie.push(TrieNode {
                            segment: Some(seg),
                            ..TrieNode::default()
                        });
                        let child = trie.len() - 1;
                        trie[at].children.push(child);
                        child
                    }
                };
            }
            let kind = kind.unwrap_or(MethodKind::Verb(op.http_method));
            trie[at].methods.push((o, b, kind));
        }
    }
    trie
}

/// The path template of trie node `at`, rebuilt from the root.
pub(super) fn path_of(trie: &[TrieNode], at: usize) -> Option<String> {
    fn walk(trie: &[TrieNode], from: usize, to: usize, out: &mut Vec<String>) -> bool {
        if from == to {
            return true;
        }
        for &child in &trie[from].children {
            let text = match trie[child]
                .segment
                .as_ref()
                .expect("children have a segment")
            {
                Seg::Id(wire) => format!("{{{wire}}}"),
                Seg::Literal { text, .. } => text.clone(),
            };
            out.push(text);
            if walk(trie, child, to, out) {
                return true;
            }
            out.pop();
        }
        false
    }
    let mut segments = Vec::new();
    walk(trie, 0, at, &mut segments).then(|| format!("/{}", segments.join("/")))
}
