package dev.mmcheck.lib.diff;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mmcheck.lib.report.TextReport;
import dev.mmcheck.lib.run.Behaviours;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.RunSettings;
import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.run.Verdict;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.model.profile.Profile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A proposed change against its base, on one spec: for each invariant, whether the change newly breaks it (with the
 * change's shortest and minimal counterexample), newly fixes it (with the base's), or leaves it as it was; and the
 * final outcomes and abstract behaviours ({@link Behaviours}) the change adds or removes, each with a witness trace
 * under the side that has it. This is {@code mmcheck diff}.
 *
 * @param before     the spec run under the base
 * @param after      the spec run with the change
 * @param properties one entry per property of the spec, in the spec's order
 */
public record ChangeDiff(CheckReport before, CheckReport after, List<PropertyChange> properties,
                         Map<String, List<String>> outcomesAdded, Map<String, List<String>> outcomesRemoved,
                         Map<String, List<String>> behavioursAdded, Map<String, List<String>> behavioursRemoved,
                         long behaviourStatesBefore, long behaviourStatesAfter, boolean behavioursComplete) {

    public enum Change {
        /** Holds (within bounds) under the base, violated with the change. */
        BREAKS,
        /** Violated under the base, holds (within bounds) with the change. */
        FIXES,
        /** The same verdict on both sides. */
        UNCHANGED,
        /** Some other pair (a side incomplete, not applicable on one side, a witness reached on one side only). */
        CHANGES
    }

    /** @param report the side that shows the change: the change's report for BREAKS, the base's for FIXES, else the change's */
    public record PropertyChange(String property, PropertyReport.Kind kind, Change change, Verdict before, Verdict after,
                                 PropertyReport report) {
    }

    /** The change breaks an invariant (or forbidden outcome) that the base keeps. */
    public boolean breaks() {
        return properties.stream().anyMatch(p -> p.change() == Change.BREAKS);
    }

    /**
     * Runs {@code beforeSpec} under {@code beforeBase} and {@code afterSpec} (the same spec with the change's variants
     * or bounds) under {@code afterBase}.
     */
    public static ChangeDiff of(Spec beforeSpec, Profile beforeBase, Spec afterSpec, Profile afterBase, RunSettings settings,
                                String arch) throws SpecException {
        Runner runner = new Runner(settings);
        CheckReport b = runner.check(beforeSpec, beforeBase, arch);
        CheckReport a = runner.check(afterSpec, afterBase, arch);
        List<PropertyChange> props = new ArrayList<>();
        for (PropertyReport pa : a.properties()) {
            PropertyReport pb = b.property(pa.name());
            Verdict vb = pb.verdict();
            Verdict va = pa.verdict();
            Change c;
            if (vb == va) c = Change.UNCHANGED;
            else if (pa.kind() != PropertyReport.Kind.WITNESS && vb == Verdict.NO_VIOLATION_WITHIN_BOUNDS && va == Verdict.VIOLATED) c = Change.BREAKS;
            else if (pa.kind() != PropertyReport.Kind.WITNESS && vb == Verdict.VIOLATED && va == Verdict.NO_VIOLATION_WITHIN_BOUNDS) c = Change.FIXES;
            else c = Change.CHANGES;
            props.add(new PropertyChange(pa.name(), pa.kind(), c, vb, va, c == Change.FIXES ? pb : pa));
        }
        Behaviours bb = Behaviours.of(beforeSpec, beforeBase);
        Behaviours ba = Behaviours.of(afterSpec, afterBase);
        return new ChangeDiff(b, a, List.copyOf(props), minus(ba.outcomes(), bb.outcomes()), minus(bb.outcomes(), ba.outcomes()),
                minus(ba.behaviours(), bb.behaviours()), minus(bb.behaviours(), ba.behaviours()), bb.states(), ba.states(),
                bb.complete() && ba.complete());
    }

    private static Map<String, List<String>> minus(Map<String, List<String>> a, Map<String, List<String>> b) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        a.keySet().stream().filter(k -> !b.containsKey(k)).sorted().forEach(k -> m.put(k, a.get(k)));
        return m;
    }

    /** The diff as a patch author pastes it: verdict changes, counterexamples, outcome and behaviour changes. */
    public void print(PrintStream out, int maxListed) {
        out.println(after.file() + ": " + after.spec() + (after.title().isEmpty() ? "" : " - " + after.title()));
        out.println("  base:   " + before.profile() + "  (" + before.states() + " states; " + before.boundsSummary() + ")");
        out.println("  change: " + after.profile() + "  (" + after.states() + " states; " + after.boundsSummary() + ")");
        out.println();
        int width = properties.stream().mapToInt(p -> p.property().length()).max().orElse(0);
        for (PropertyChange p : properties) {
            String what = switch (p.change()) {
                case BREAKS -> "BREAKS";
                case FIXES -> "fixes";
                case UNCHANGED -> "unchanged";
                case CHANGES -> "changes";
            };
            out.printf("  %-9s  %-" + width + "s  %s%s%n", what, p.property(), p.before().text(),
                    p.change() == Change.UNCHANGED ? "" : " -> " + p.after().text());
        }
        for (PropertyChange p : properties) {
            if (p.change() != Change.BREAKS && p.change() != Change.FIXES) continue;
            out.println();
            PropertyReport r = p.report();
            out.println(p.property() + (p.change() == Change.BREAKS ? ": broken by the change" : ": fixed by the change; the base breaks it")
                    + " (" + r.sentence() + ")");
            r.trace().ifPresent(t -> TextReport.printTrace(t, "shortest counterexample under " + (p.change() == Change.BREAKS
                    ? after.profile() : before.profile()), out));
            if (!r.detail().isEmpty()) out.println("  broken: " + r.detail());
            r.minimal().ifPresent(m -> TextReport.printMinimal(m, out));
        }
        list(out, "final outcomes the change adds", "+", outcomesAdded, maxListed);
        list(out, "final outcomes the change removes", "-", outcomesRemoved, maxListed);
        list(out, "behaviours the change adds", "+", behavioursAdded, maxListed);
        list(out, "behaviours the change removes", "-", behavioursRemoved, maxListed);
        out.println();
        out.println("  outcomes and behaviours from " + behaviourStatesBefore + " (base) and " + behaviourStatesAfter
                + " (change) states" + (behavioursComplete ? "" : "; INCOMPLETE: the state bound stopped an exploration"));
        out.println("result: " + (breaks() ? "the change BREAKS " + String.join(", ", properties.stream()
                .filter(p -> p.change() == Change.BREAKS).map(PropertyChange::property).toList()) + ", which the base keeps"
                : "the change breaks nothing the base keeps within these bounds"));
    }

    private static void list(PrintStream out, String title, String sign, Map<String, List<String>> m, int max) {
        if (m.isEmpty()) return;
        out.println();
        out.println(title + " (" + m.size() + "):");
        int n = 0;
        for (Map.Entry<String, List<String>> e : m.entrySet()) {
            if (n++ == max) {
                out.println("  ... and " + (m.size() - max) + " more (--json lists all)");
                break;
            }
            out.println("  " + sign + " " + e.getKey());
            out.println("    witness: " + (e.getValue().isEmpty() ? "the initial state" : String.join("; ", e.getValue())));
        }
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("file", after.file());
        o.addProperty("spec", after.spec());
        o.addProperty("base", before.profile());
        o.addProperty("change", after.profile());
        o.addProperty("statesBase", before.states());
        o.addProperty("statesChange", after.states());
        o.addProperty("bounds", after.boundsSummary());
        o.addProperty("breaks", breaks());
        JsonArray ps = new JsonArray();
        for (PropertyChange p : properties) {
            JsonObject j = new JsonObject();
            j.addProperty("property", p.property());
            j.addProperty("change", p.change().name().toLowerCase());
            j.addProperty("before", p.before().text());
            j.addProperty("after", p.after().text());
            p.report().trace().filter(t -> p.change() == Change.BREAKS || p.change() == Change.FIXES).ifPresent(t -> {
                JsonArray steps = new JsonArray();
                t.steps().forEach(s -> steps.add(s.call()));
                j.add("counterexample", steps);
            });
            ps.add(j);
        }
        o.add("properties", ps);
        o.add("outcomesAdded", json(outcomesAdded));
        o.add("outcomesRemoved", json(outcomesRemoved));
        o.add("behavioursAdded", json(behavioursAdded));
        o.add("behavioursRemoved", json(behavioursRemoved));
        o.addProperty("behavioursComplete", behavioursComplete);
        return o;
    }

    private static JsonArray json(Map<String, List<String>> m) {
        JsonArray a = new JsonArray();
        m.forEach((k, v) -> {
            JsonObject j = new JsonObject();
            j.addProperty("what", k);
            JsonArray w = new JsonArray();
            v.forEach(w::add);
            j.add("witness", w);
            a.add(j);
        });
        return a;
    }
}
