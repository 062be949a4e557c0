package dev.mmcheck.lib.report;

import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.StateView;
import dev.mmcheck.lib.run.Trace;
import java.util.List;

/**
 * Graphviz DOT of each trace: one node per state (its page tables, folios, swap slots and references),
 * one edge per step labelled with the call and the kernel path. Render with {@code dot -Tsvg}.
 */
public final class DotReport {
    private DotReport() {
    }

    public static String render(List<CheckReport> reports) {
        StringBuilder b = new StringBuilder("digraph mmcheck {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n"
                + "  edge [fontname=\"monospace\", fontsize=10];\n");
        int cluster = 0;
        for (CheckReport r : reports) {
            for (PropertyReport p : r.properties()) {
                if (p.trace().isEmpty()) continue;
                Trace t = p.trace().get();
                String id = "t" + cluster;
                b.append("  subgraph cluster_").append(cluster++).append(" {\n    label=\"")
                        .append(escape(r.spec() + " under " + r.profile() + ": " + p.name() + " " + p.verdict().text())).append("\";\n");
                for (int i = 0; i < t.states().size(); i++) {
                    boolean last = i == t.states().size() - 1;
                    b.append("    ").append(id).append('_').append(i).append(" [label=\"").append(escape(label(i, t.states().get(i))))
                            .append("\"").append(last && !p.detail().isEmpty() ? ", color=red, penwidth=2" : "").append("];\n");
                }
                for (int i = 0; i < t.steps().size(); i++) {
                    Trace.TraceStep s = t.steps().get(i);
                    b.append("    ").append(id).append('_').append(i).append(" -> ").append(id).append('_').append(i + 1)
                            .append(" [label=\"").append(escape((i + 1) + ". " + s.call() + "\n" + String.join(" ->\n", s.path())
                                    + (s.changes().isEmpty() ? "" : "\nchanged:\n  " + String.join("\n  ", s.changes()))))
                            .append("\"];\n");
                }
                if (!p.detail().isEmpty()) {
                    b.append("    ").append(id).append("_broken [shape=note, color=red, label=\"")
                            .append(escape("broken: " + p.detail())).append("\"];\n    ").append(id).append('_')
                            .append(t.states().size() - 1).append(" -> ").append(id).append("_broken [style=dotted, arrowhead=none];\n");
                }
                b.append("  }\n");
            }
        }
        return b.append("}\n").toString();
    }

    /** Each row as "key: column value, column value", so no number stands without its name. */
    private static String label(int i, StateView v) {
        StringBuilder b = new StringBuilder(i == 0 ? "initial state" : "after step " + i);
        for (StateView.Table table : v.tables()) {
            for (List<String> row : table.rows()) {
                b.append('\n').append(row.get(0)).append(':');
                String sep = " ";
                for (int c = 1; c < row.size(); c++) {
                    if (row.get(c).isEmpty()) continue;
                    b.append(sep).append(c < table.header().size() ? table.header().get(c) + " " : "").append(row.get(c));
                    sep = ", ";
                }
            }
        }
        return b.toString();
    }

    /** Escapes for a DOT double-quoted string; newlines become left-justified line breaks. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\l") + (s.contains("\n") ? "\\l" : "");
    }
}
