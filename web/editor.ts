// editor.ts - the code editor: CodeMirror 6 with the Lua mode of @codemirror/legacy-modes, line
// numbers, undo history, bracket matching, Ctrl/Cmd+Enter to run, and a marked line for the error of
// the last run. Tab is left to the browser (focus moves on), so the editor is no keyboard trap.
// Invariant: the error mark is cleared as soon as the text changes (it was about the old text).

import { EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  StreamLanguage,
  syntaxHighlighting,
} from "@codemirror/language";
import { lua } from "@codemirror/legacy-modes/mode/lua";

const setErrorLine = StateEffect.define<number | null>();

const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    if (tr.docChanged) marks = Decoration.none;
    for (const e of tr.effects) {
      if (!e.is(setErrorLine)) continue;
      const n = e.value;
      marks =
        n === null || n < 1 || n > tr.state.doc.lines
          ? Decoration.none
          : Decoration.set([Decoration.line({ class: "cm-error-line" }).range(tr.state.doc.line(n).from)]);
    }
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export interface Editor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Marks line n (1-based) as the error's, scrolled into view; null clears the mark. */
  markError(n: number | null): void;
  focus(): void;
}

export function createEditor(
  parent: HTMLElement,
  doc: string,
  on: { run(): void; change(text: string): void },
): Editor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (on.run(), true) }])),
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        StreamLanguage.define(lua),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        errorLine,
        EditorView.contentAttributes.of({ "aria-label": "Lua code (Ctrl+Enter runs it)" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) on.change(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    markError(n) {
      const effects: StateEffect<unknown>[] = [setErrorLine.of(n)];
      if (n !== null && n >= 1 && n <= view.state.doc.lines)
        effects.push(EditorView.scrollIntoView(view.state.doc.line(n).from, { y: "center" }));
      view.dispatch({ effects });
    },
    focus: () => view.focus(),
  };
}
