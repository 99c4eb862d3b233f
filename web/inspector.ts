// inspector.ts - renders the inspector trees (protocol.ts TreeNode, built by inspect.lua) as nested
// <details> elements: keyboard and screen-reader friendly without extra code. A refresh keeps the
// branches the user opened (by their key path), so the view stays put while the state changes.
// Invariant: rendering never reads anything but the tree given; text goes in as text, never as HTML.

import type { TreeNode } from "./protocol.js";

/** Paths ("_home/t/[1]") of the open branches, per container. */
const openPaths = new WeakMap<HTMLElement, Set<string>>();

function leaf(node: TreeNode): HTMLElement {
  const row = document.createElement("div");
  row.className = "tree-leaf";
  row.append(label(node));
  return row;
}

function label(node: TreeNode): DocumentFragment {
  const f = document.createDocumentFragment();
  if (node.k !== "") {
    const k = document.createElement("span");
    k.className = "tree-key";
    k.textContent = node.k;
    f.append(k, " = ");
  }
  const v = document.createElement("span");
  v.className = `tree-value t-${node.t}`;
  v.textContent = node.v;
  f.append(v);
  return f;
}

function branch(node: TreeNode, path: string, open: Set<string>, depth: number): HTMLElement {
  if (node.c === undefined || (node.c.length === 0 && !node.more)) return leaf(node);
  const d = document.createElement("details");
  d.open = open.has(path) || (depth === 0 && !open.has(`!${path}`));
  const s = document.createElement("summary");
  s.append(label(node));
  d.append(s);
  d.addEventListener("toggle", () => {
    // roots start open: remember closing them as well
    if (d.open) {
      open.add(path);
      open.delete(`!${path}`);
    } else {
      open.delete(path);
      if (depth === 0) open.add(`!${path}`);
    }
  });
  const list = document.createElement("div");
  list.className = "tree-children";
  for (const child of node.c) list.append(branch(child, `${path}/${child.k}`, open, depth + 1));
  if (node.more) {
    const more = document.createElement("div");
    more.className = "tree-more";
    more.textContent = `… ${node.more} more not shown`;
    list.append(more);
  }
  d.append(list);
  return d;
}

/** Replaces the container's content with the tree (or a message when there is none). */
export function renderTree(container: HTMLElement, node: TreeNode | null, message = ""): void {
  let open = openPaths.get(container);
  if (!open) {
    open = new Set();
    openPaths.set(container, open);
  }
  if (node === null) {
    container.replaceChildren(
      Object.assign(document.createElement("p"), { className: "tree-note", textContent: message }),
    );
    return;
  }
  container.replaceChildren(branch(node, node.k, open, 0));
}
