//! The navigation tree: builders that read like Graph's URLs, derived from the paths.
//!
//! Rules, in the order they apply:
//! - **Operation segment.** The last segment of a path is the method itself, not a builder, when
//!   it is an OData segment (`$count`, `$ref`, `$value`), a function or namespaced action
//!   (`microsoft.graph.invite`, `getAllTranscripts(...)`), or a plain literal that only a `POST`
//!   reaches and nothing continues (`/users/{user-id}/presence/setPresence`: an action).
//! - **Builders.** Every other path prefix is a builder. A literal segment is an accessor named
//!   after it (`presence()`, `communications()`); an id after a collection is an accessor on the
//!   collection's parent named after the collection in the singular, taking the id
//!   (`users/{user-id}` → `user(user_id)`), so no builder stands for the bare collection unless
//!   something is bound to it (`presences().list()`) or continues from it.
//! - **HTTP methods on a builder**: `GET` is `list` on a collection (a literal followed by an id
//!   segment) and `get` elsewhere; `POST` `create`, `PATCH` `update`, `PUT` `replace`, `DELETE`
//!   `delete`. OData segments: `GET $count` is `count`, others the verb and segment (`replace_ref`).
//! - **Collisions** on one builder: the names the client defines itself ([`CLIENT_OWN_METHODS`])
//!   are reserved, accessors are named before methods, and a later name gets a `_2` suffix.

mod trie;

use super::names::{GRAPH_NAMESPACE, singular};
use crate::ir::{
    CLIENT_OWN_METHODS, HttpMethod, Ident, METHOD_LOCALS, NavChild, NavNode, NavParam, Operation,
    StreamMethod,
};
use crate::lower::naming::{self, NameSet};
use trie::{MethodKind, Seg, TrieNode, path_of, trie_of};

/// Builds the navigation tree and fills in each binding's node, method name, arguments and call.
pub(super) fn build(operations: &mut [Operation]) -> Vec<NavNode> {
    let trie = trie_of(operations);
    let mut builder = Builder {
        trie: &trie,
        operations,
        nodes: Vec::new(),
        type_names: NameSet::new(),
    };
    builder.type_names.reserve("Client");
    builder.nodes.push(NavNode {
        type_name: Ident::plain("Client"),
        path: String::new(),
        call: String::new(),
        fields: Vec::new(),
        children: Vec::new(),
        methods: Vec::new(),
    });
    builder.visit(0, 0, &[]);
    builder.nodes
}

struct Builder<'t, 'o> {
    trie: &'t [TrieNode],
    operations: &'o mut [Operation],
    nodes: Vec<NavNode>,
    type_names: NameSet,
}

impl Builder<'_, '_> {
    /// Fills builder `node` (standing for trie node `at`): accessors first, then methods.
    /// `words` are the accessor names from the root, for type names.
    fn visit(&mut self, at: usize, node: usize, words: &[String]) {
        let mut names = NameSet::new();
        for reserved in CLIENT_OWN_METHODS {
            names.reserve(reserved);
        }
        let trie = self.trie;
        let is_literal = matches!(trie[at].segment, Some(Seg::Literal { .. }));
        let mut pending = Vec::new();
        for &child in &trie[at].children {
            let seg = trie[child]
                .segment
                .clone()
                .expect("children have a segment");
            match &seg {
                // Ids right after a literal were lifted onto the literal's parent.
                Seg::Id(_) if is_literal => {}
                Seg::Id(wire) => pending.push((stem(wire), child, seg.params())),
                Seg::Literal { text, .. } => {
                    let collection = literal_name(text);
                    for &item in &trie[child].children {
                        if let Some(Seg::Id(wire)) = &trie[item].segment {
                            let one = singular(&collection).unwrap_or_else(|| stem(wire));
                            pending.push((one, item, vec![wire.clone()]));
                        }
                    }
                    let own = !trie[child].methods.is_empty()
                        || trie[child]
                            .children
                            .iter()
                            .any(|&c| matches!(trie[c].segment, Some(Seg::Literal { .. })));
                    if own {
                        pending.push((collection, child, seg.params()));
                    }
                }
            }
        }
        for (name, child_at, params) in pending {
            let accessor = ident_of(names.claim(naming::snake(&name)));
            self.add_child(node, child_at, accessor, params, words);
        }
        self.add_methods(at, node, &mut names);
    }

    fn add_child(
        &mut self,
        parent: usize,
        at: usize,
        accessor: Ident,
        wires: Vec<String>,
        words: &[String],
    ) {
        let mut taken: Vec<String> = self.nodes[parent]
            .fields
            .iter()
            .map(|f| f.name.clone())
            .collect();
        taken.push("client".to_owned());
        let params: Vec<NavParam> = wires
            .iter()
            .map(|wire| NavParam {
                name: unique_ident(&mut taken, wire),
                wire_name: wire.clone(),
            })
            .collect();
        let mut words = words.to_vec();
        words.push(accessor.name.clone());
        let type_name = ident_of(self.type_names.claim(naming::pascal(&words.join(" "))));
        let parent_node = &self.nodes[parent];
        let segment = match &self.trie[at].segment {
            Some(Seg::Id(wire)) => format!("{{{wire}}}"),
            Some(Seg::Literal { text, .. }) => text.clone(),
            None => String::new(),
        };
        // An id accessor skips the collection segment before it; the path says where it is.
        let path = path_of(self.trie, at).unwrap_or(segment);
        let arg_list: Vec<String> = params.iter().map(|p| p.name.name.clone()).collect();
        let step = format!("{accessor}({})", arg_list.join(", "));
        let call = if parent_node.call.is_empty() {
            step
        } else {
            format!("{}.{step}", parent_node.call)
        };
        let mut fields = parent_node.fields.clone();
        fields.extend(params.iter().map(|p| p.name.clone()));
        let docs = match params.as_slice() {
            [] => format!("Goes to `{path}`."),
            [one] => format!(
                "Goes to `{path}`, with `{}` filled in (percent-encoded).",
                one.wire_name
            ),
            _ => format!("Goes to `{path}`, with its parameters filled in (percent-encoded)."),
        };
        self.nodes.push(NavNode {
            type_name,
            path,
            call,
            fields,
            children: Vec::new(),
            methods: Vec::new(),
        });
        let node = self.nodes.len() - 1;
        self.nodes[parent].children.push(NavChild {
            accessor,
            node,
            params,
            docs,
        });
        self.visit(at, node, &words);
    }

    fn add_methods(&mut self, at: usize, node: usize, names: &mut NameSet) {
        let trie = self.trie;
        let is_collection = matches!(trie[at].segment, Some(Seg::Literal { .. }))
            && trie[at]
                .children
                .iter()
                .any(|&c| matches!(trie[c].segment, Some(Seg::Id(_))));
        let mut methods = Vec::new();
        for (o, b, kind) in &trie[at].methods {
            let (name, wires) = match kind {
                MethodKind::Verb(HttpMethod::Get) if is_collection => ("list".to_owned(), vec![]),
                MethodKind::Verb(verb) => (verb_name(*verb).to_owned(), vec![]),
                MethodKind::OData(segment, HttpMethod::Get) if segment == "count" => {
                    ("count".to_owned(), vec![])
                }
                MethodKind::OData(segment, verb) => {
                    (format!("{} {segment}", verb_name(*verb)), vec![])
                }
                MethodKind::Call(seg @ Seg::Literal { text, .. }) => {
                    (literal_name(text), seg.params())
                }
                MethodKind::Call(Seg::Id(_)) => unreachable!("calls are literal segments"),
            };
            let method = ident_of(names.claim(naming::snake(&name)));
            let mut taken: Vec<String> = METHOD_LOCALS.iter().map(|s| s.to_string()).collect();
            let args: Vec<NavParam> = wires
                .iter()
                .map(|wire| NavParam {
                    name: unique_ident(&mut taken, wire),
                    wire_name: wire.clone(),
                })
                .collect();
            let op = &self.operations[*o];
            let mut call_args: Vec<String> = args.iter().map(|a| a.name.name.clone()).collect();
            if op.params_type.is_some() {
                call_args.push("&params".to_owned());
            }
            if op.body.is_some() {
                call_args.push("&body".to_owned());
            }
            let base = &self.nodes[node].call;
            let call = format!(
                "{}{method}({})",
                if base.is_empty() {
                    String::new()
                } else {
                    format!("{base}.")
                },
                call_args.join(", ")
            );
            // The stream of a paged binding is named beside its one-page method, and claimed
            // right after it so the pair stays together whatever else the builder holds.
            let stream = op.paging.is_some().then(|| {
                let name = ident_of(names.claim(format!("{}_stream", method.name)));
                let mut stream_args: Vec<String> =
                    args.iter().map(|a| a.name.name.clone()).collect();
                stream_args.extend(call_args.iter().skip(args.len()).cloned());
                stream_args.push("None".to_owned());
                let call = format!(
                    "{}{name}({})",
                    if base.is_empty() {
                        String::new()
                    } else {
                        format!("{base}.")
                    },
                    stream_args.join(", ")
                );
                StreamMethod {
                    name,
                    call,
                    docs: String::new(),
                }
            });
            let binding = &mut self.operations[*o].bindings[*b];
            binding.node = node;
            binding.method = method.clone();
            binding.method_args = args;
            binding.call = call;
            binding.stream = stream;
            methods.push((method.name.clone(), (*o, *b)));
        }
        methods.sort();
        self.nodes[node].methods = methods.into_iter().map(|(_, at)| at).collect();
    }
}

/// The Rust method for an HTTP method on a builder's own path.
fn verb_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "create",
        HttpMethod::Patch => "update",
        HttpMethod::Put => "replace",
        HttpMethod::Delete => "delete",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Trace => "trace",
    }
}

/// `microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime=...)` →
/// `getDirectRoutingCalls`: the name after any namespace, before any argument list.
fn literal_name(segment: &str) -> String {
    let segment = segment.trim_start_matches('$');
    let segment = segment.strip_prefix(GRAPH_NAMESPACE).unwrap_or(segment);
    let segment = segment.split('(').next().unwrap_or(segment);
    segment.rsplit('.').next().unwrap_or(segment).to_owned()
}

/// `user-id` → `user`, `usersId` → `users`, `id` → `item`: what an id parameter identifies.
fn stem(wire: &str) -> String {
    let lower = wire.to_ascii_lowercase();
    let cut = if lower.ends_with("-id") || lower.ends_with("_id") {
        wire.len() - 3
    } else if wire.ends_with("Id") {
        wire.len() - 2
    } else {
        wire.len()
    };
    match &wire[..cut] {
        "" | "id" => "item".to_owned(),
        stem => stem.to_owned(),
    }
}

/// A snake_case identifier for `wire` not yet in `taken` (then added to it).
fn unique_ident(taken: &mut Vec<String>, wire: &str) -> Ident {
    let base = naming::bare(&naming::snake(wire)).to_owned();
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.push(name.clone());
    ident_of(naming::snake(&name))
}

/// The IR identifier for a name from `naming` (which writes keywords as `r#name`).
pub(super) fn ident_of(name: String) -> Ident {
    match name.strip_prefix("r#") {
        Some(bare) => Ident::raw(bare),
        None => Ident::plain(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_tell_ids_from_literals_and_function_arguments() {
        assert_eq!(Seg::parse("{user-id}"), Seg::Id("user-id".into()));
        assert_eq!(
            Seg::parse("getAllTranscripts(meetingOrganizerUserId='{meetingOrganizerUserId}')")
                .params(),
            vec!["meetingOrganizerUserId".to_owned()]
        );
        assert!(Seg::parse("presence").params().is_empty());
    }

    #[test]
    fn names_come_from_segments_and_ids() {
        assert_eq!(literal_name("microsoft.graph.setPresence"), "setPresence");
        assert_eq!(
            literal_name("microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime={f})"),
            "getDirectRoutingCalls"
        );
        assert_eq!(literal_name("$count"), "count");
        assert_eq!(stem("user-id"), "user");
        assert_eq!(stem("usersId"), "users");
        assert_eq!(stem("id"), "item");
        assert_eq!(verb_name(HttpMethod::Patch), "update");
    }

    /// Every binding's call, sorted, for a spec whose operations all answer 204.
    fn calls(paths: &str) -> Vec<String> {
        let source = format!("openapi: 3.0.3\ninfo: {{title: t, version: v1}}\npaths:\n{paths}");
        let doc = crate::load::load("t.yaml", &source).unwrap();
        let api = crate::lower::lower(&doc, "v1", &crate::ir::CratePath::parse("crate").unwrap())
            .unwrap();
        let mut calls: Vec<String> = api
            .operations
            .iter()
            .flat_map(|op| op.bindings.iter().map(|b| b.call.clone()))
            .collect();
        calls.sort();
        calls
    }

    fn op(id: &str) -> String {
        format!("{{operationId: {id}, responses: {{'204': {{description: ok}}}}}}")
    }

    fn id_param(name: &str) -> String {
        format!("[{{name: {name}, in: path, required: true, schema: {{type: string}}}}]")
    }

    #[test]
    fn collections_items_odata_segments_and_actions_get_their_rule_names() {
        let paths = format!(
            "  /things:\n    get: {}\n    post: {}\n  /things/$count:\n    get: {}\n  /things/{{thing-id}}:\n    parameters: {}\n    get: {}\n    patch: {}\n  /things/{{thing-id}}/microsoft.graph.poke:\n    parameters: {}\n    post: {}\n  /me/doIt:\n    post: {}\n",
            op("things_List"),
            op("things_Create"),
            op("things_Count"),
            id_param("thing-id"),
            op("things_Get"),
            op("things_Update"),
            id_param("thing-id"),
            op("things_poke"),
            op("me_doIt"),
        );
        assert_eq!(
            calls(&paths),
            [
                "me().do_it()",
                "thing(thing_id).get()",
                "thing(thing_id).poke()",
                "thing(thing_id).update()",
                "things().count()",
                "things().create()",
                "things().list()",
            ]
        );
    }

    #[test]
    fn names_the_client_defines_are_reserved() {
        let paths = format!(
            "  /options:\n    get: {}\n  /runtime/new:\n    get: {}\n",
            op("a_get"),
            op("b_get")
        );
        assert_eq!(
            calls(&paths),
            ["options_2().get()", "runtime_2().new_2().get()"]
        );
    }

    #[test]
    fn unique_idents_get_a_suffix_and_keywords_stay_raw() {
        let mut taken = vec!["client".to_owned()];
        assert_eq!(unique_ident(&mut taken, "client"), Ident::plain("client_2"));
        assert_eq!(unique_ident(&mut taken, "type"), Ident::raw("type"));
        assert_eq!(ident_of("r#match".into()), Ident::raw("match"));
    }
}
