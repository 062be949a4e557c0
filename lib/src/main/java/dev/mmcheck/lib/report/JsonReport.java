package dev.mmcheck.lib.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.StateView;
import dev.mmcheck.lib.run.Trace;
import java.util.List;

/**
 * The machine report: one JSON object per spec run (schema "mmcheck-report/2", in schemas/report.schema.json and
 * documented in specs/README.md).
 */
public final class JsonReport {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private JsonReport() {
    }

    public static final String SCHEMA = "mmcheck-report/2";

    public static String render(List<CheckReport> reports) {
        return render(reports, List.of());
    }

    /** @param errors inputs that could not be checked (bad input), each as one located message */
    public static String render(List<CheckReport> reports, List<String> errors) {
        JsonArray all = new JsonArray();
        for (CheckReport r : reports) all.add(toJson(r));
        JsonObject root = new JsonObject();
        root.addProperty("schema", SCHEMA);
        root.addProperty("tool", Version.TOOL);
        root.add("runs", all);
        root.add("errors", strings(errors));
        return GSON.toJson(root);
    }

    public static String pretty(JsonObject o) {
        return GSON.toJson(o);
    }

    static JsonObject toJson(CheckReport r) {
        JsonObject o = new JsonObject();
        o.addProperty("file", r.file());
        o.addProperty("spec", r.spec());
        o.addProperty("title", r.title());
        o.add("cites", strings(r.cites()));
        o.addProperty("profile", r.profile());
        o.addProperty("release", r.release());
        o.addProperty("arch", r.arch().isEmpty() ? "x86_64" : r.arch());
        JsonObject d = new JsonObject();
        r.decisions().forEach(d::addProperty);
        o.add("decisions", d);
        o.add("profileChoices", strings(r.profileChoices()));
        JsonObject b = new JsonObject();
        b.addProperty("bounds", r.bounds());
        b.addProperty("states", r.states());
        b.addProperty("transitions", r.transitions());
        b.addProperty("maxDepthReached", r.maxDepthReached());
        b.addProperty("statesCutByDepthBound", r.statesCutByDepthBound());
        b.addProperty("stop", r.stop().name().toLowerCase());
        b.addProperty("exhaustive", r.exhaustive());
        b.addProperty("elapsedMillis", r.elapsed().toMillis());
        b.addProperty("strategy", r.search().strategy().describe());
        b.addProperty("engine", r.engine());
        b.addProperty("strategyExhaustive", r.search().strategy().canBeExhaustive());
        b.addProperty("fingerprintBits", r.search().fingerprintBits());
        if (!Double.isNaN(r.search().omissionProbability())) {
            b.addProperty("omissionProbability", r.search().omissionProbability());
        }
        if (!Double.isNaN(r.search().coverageEstimate())) {
            b.addProperty("coverageEstimate", r.search().coverageEstimate());
        }
        o.add("search", b);
        JsonArray props = new JsonArray();
        for (PropertyReport p : r.properties()) {
            JsonObject po = new JsonObject();
            po.addProperty("name", p.name());
            po.addProperty("kind", p.kind().name().toLowerCase());
            po.addProperty("verdict", p.verdict().name().toLowerCase());
            po.addProperty("sentence", p.sentence());
            po.addProperty("citation", p.citation());
            if (!p.detail().isEmpty()) po.addProperty("detail", p.detail());
            if (!p.culprits().isEmpty()) {
                po.add("culprits", strings(p.culprits().stream().map(c -> StateView.key(c, r.labelName())).toList()));
            }
            p.trace().ifPresent(t -> po.add("trace", trace(t)));
            p.minimal().ifPresent(m -> {
                JsonObject mo = new JsonObject();
                mo.addProperty("originalSize", m.originalSize());
                mo.addProperty("processes", m.processes());
                mo.addProperty("pages", m.pages());
                mo.add("calls", strings(m.calls()));
                po.add("minimal", mo);
            });
            props.add(po);
        }
        o.add("properties", props);
        o.addProperty("status", r.status().name().toLowerCase());
        o.addProperty("failing", r.failing());
        return o;
    }

    public static JsonObject trace(Trace t) {
        JsonObject o = new JsonObject();
        o.addProperty("initialIndex", t.initialIndex());
        JsonArray idx = new JsonArray();
        t.actionIndices().forEach(idx::add);
        o.add("actionIndices", idx);
        JsonArray steps = new JsonArray();
        for (Trace.TraceStep s : t.steps()) {
            JsonObject so = new JsonObject();
            so.addProperty("process", s.process());
            so.addProperty("call", s.call());
            so.add("kernelPath", strings(s.path()));
            so.add("changes", strings(s.changes()));
            steps.add(so);
        }
        o.add("steps", steps);
        return o;
    }

    public static JsonArray strings(List<String> l) {
        JsonArray a = new JsonArray();
        l.forEach(a::add);
        return a;
    }
}
