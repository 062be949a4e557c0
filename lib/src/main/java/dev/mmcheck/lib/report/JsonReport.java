package dev.mmcheck.lib.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Trace;
import java.util.List;

/** The machine report: one JSON object per spec run (schema "mmcheck-report/1", documented in specs/README.md). */
public final class JsonReport {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private JsonReport() {
    }

    public static String render(List<CheckReport> reports) {
        JsonArray all = new JsonArray();
        for (CheckReport r : reports) all.add(toJson(r));
        JsonObject root = new JsonObject();
        root.addProperty("schema", "mmcheck-report/1");
        root.add("runs", all);
        return GSON.toJson(root);
    }

    static JsonObject toJson(CheckReport r) {
        JsonObject o = new JsonObject();
        o.addProperty("file", r.file());
        o.addProperty("spec", r.spec());
        o.addProperty("title", r.title());
        o.add("cites", strings(r.cites()));
        o.addProperty("profile", r.profile());
        o.add("profileChoices", strings(r.profileChoices()));
        JsonObject b = new JsonObject();
        b.addProperty("bounds", r.bounds());
        b.addProperty("states", r.states());
        b.addProperty("transitions", r.transitions());
        b.addProperty("maxDepthReached", r.maxDepthReached());
        b.addProperty("statesCutByDepthBound", r.statesCutByDepthBound());
        b.addProperty("stateBoundHit", r.stateBoundHit());
        b.addProperty("exhaustive", r.exhaustive());
        b.addProperty("elapsedMillis", r.elapsed().toMillis());
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

    static JsonArray strings(List<String> l) {
        JsonArray a = new JsonArray();
        l.forEach(a::add);
        return a;
    }
}
