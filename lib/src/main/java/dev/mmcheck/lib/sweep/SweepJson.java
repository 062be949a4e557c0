package dev.mmcheck.lib.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.report.JsonReport;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A sweep as JSON (schema "mmcheck-sweep/1", schemas/sweep.schema.json): the dimensions of the product, then one
 * entry per run in the product's order with its bounds, how its search ended and each property's verdict.
 */
public final class SweepJson {
    public static final String SCHEMA = "mmcheck-sweep/1";

    private SweepJson() {
    }

    public static String render(Sweep.Result result) {
        JsonObject o = new JsonObject();
        o.addProperty("schema", SCHEMA);
        o.addProperty("tool", Version.TOOL);
        o.addProperty("status", result.status().name().toLowerCase());
        Set<String> specs = new LinkedHashSet<>();
        Set<String> profiles = new LinkedHashSet<>();
        Set<String> arches = new LinkedHashSet<>();
        Set<Integer> processes = new java.util.TreeSet<>();
        Set<Integer> depths = new java.util.TreeSet<>();
        for (Sweep.Outcome out : result.outcomes()) {
            Sweep.Run run = out.run();
            specs.add(run.spec().name());
            profiles.add(run.release());
            arches.add(run.arch().isEmpty() ? "x86_64" : run.arch());
            processes.add(run.processes());
            depths.add(run.depth());
        }
        JsonObject dims = new JsonObject();
        dims.add("specs", JsonReport.strings(java.util.List.copyOf(specs)));
        dims.add("profiles", JsonReport.strings(java.util.List.copyOf(profiles)));
        dims.add("arches", JsonReport.strings(java.util.List.copyOf(arches)));
        JsonArray ps = new JsonArray();
        processes.forEach(ps::add);
        dims.add("processes", ps);
        JsonArray ds = new JsonArray();
        depths.forEach(ds::add);
        dims.add("depths", ds);
        o.add("dimensions", dims);
        JsonArray runs = new JsonArray();
        for (Sweep.Outcome out : result.outcomes()) runs.add(run(out));
        o.add("runs", runs);
        return JsonReport.pretty(o);
    }

    private static JsonObject run(Sweep.Outcome out) {
        Sweep.Run run = out.run();
        JsonObject r = new JsonObject();
        r.addProperty("spec", run.spec().name());
        r.addProperty("file", run.spec().file());
        r.addProperty("profile", run.release());
        r.addProperty("set", run.set());
        r.addProperty("arch", run.arch().isEmpty() ? "x86_64" : run.arch());
        r.addProperty("processes", run.processes());
        r.addProperty("pages", run.spec().pages());
        r.addProperty("depth", run.depth());
        r.addProperty("exploration", run.spec().isExploration());
        r.addProperty("peakHeapMb", out.peakHeapBytes() >> 20);
        if (out.summary().isEmpty()) {
            r.addProperty("outcome", out.notInRelease() ? "not_in_release" : out.error().isEmpty() ? "not_run" : "error");
            if (!out.error().isEmpty()) r.addProperty("error", out.error());
            return r;
        }
        Sweep.Summary c = out.summary().get();
        r.addProperty("outcome", c.status().name().toLowerCase());
        r.addProperty("states", c.states());
        r.addProperty("transitions", c.transitions());
        r.addProperty("maxDepthReached", c.maxDepthReached());
        r.addProperty("stop", c.stop().name().toLowerCase());
        r.addProperty("exhaustive", c.exhaustive());
        r.addProperty("elapsedMillis", c.elapsed().toMillis());
        JsonArray props = new JsonArray();
        for (Sweep.Summary.Property p : c.properties()) {
            JsonObject po = new JsonObject();
            po.addProperty("name", p.name());
            po.addProperty("kind", p.kind().name().toLowerCase());
            po.addProperty("verdict", p.verdict().name().toLowerCase());
            props.add(po);
        }
        r.add("properties", props);
        return r;
    }
}
