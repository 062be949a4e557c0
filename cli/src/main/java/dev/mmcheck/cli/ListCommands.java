package dev.mmcheck.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.report.JsonReport;
import dev.mmcheck.model.invariant.Catalogue;
import dev.mmcheck.model.invariant.Invariant;
import dev.mmcheck.model.invariant.Reachability;
import dev.mmcheck.model.op.EntryPoint;
import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.profile.Release;
import dev.mmcheck.model.profile.Timeline;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The catalogue listings: profiles with their decisions, invariants and witnesses, operations. */
final class ListCommands {
    private ListCommands() {
    }

    private static JsonObject root(String schema) {
        JsonObject o = new JsonObject();
        o.addProperty("schema", schema);
        o.addProperty("tool", Version.TOOL);
        return o;
    }

    @Command(name = "profiles", mixinStandardHelpOptions = true, version = Version.TOOL,
            description = {"List the decision points with their choices, citations and the releases that make each choice.",
                    "With --timeline, what changed in which release (commit, first tag, how it was established);",
                    "with a RELEASE, that release's choice at every point and the change that made it."})
    static final class ProfileList implements Callable<Integer> {
        @CommandLine.Parameters(arity = "0..1", paramLabel = "RELEASE", description = "one release, such as v6.11")
        String release;

        @Option(names = "--timeline", description = "print the release timeline: the changes of each release, oldest first")
        boolean timeline;

        @Option(names = "--json", description = "print as JSON (schema mmcheck-profiles/2), with the timeline")
        boolean json;

        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            if (release != null) {
                java.util.Optional<Release> r = Timeline.release(release);
                if (r.isEmpty()) {
                    parent.err().println("mmcheck: unknown release '" + release + "'; expected one of " + Timeline.OLDEST + ".."
                            + Timeline.NEWEST);
                    return Exit.BAD_INPUT.code;
                }
                if (json || timeline) {
                    parent.err().println("mmcheck: a RELEASE is listed as text only; drop --json and --timeline");
                    return Exit.BAD_INPUT.code;
                }
                Profile p = Timeline.at(r.get());
                parent.out().println(p.name() + (Profiles.ERAS.contains(p) ? " (a named era)" : ""));
                for (DecisionPoint<?> point : DecisionPoint.ALL) {
                    Timeline.Change c = Timeline.changeFor(point, r.get());
                    parent.out().println("  " + point.name() + " = " + p.get(point).specName() + "  (since " + c.since() + ")");
                    parent.out().println("      " + c.commit() + " [" + c.evidence() + "]");
                }
                return Exit.OK.code;
            }
            if (json) {
                JsonObject o = root("mmcheck-profiles/2");
                JsonArray points = new JsonArray();
                for (DecisionPoint<?> point : DecisionPoint.ALL) {
                    JsonObject po = new JsonObject();
                    po.addProperty("name", point.name());
                    po.addProperty("question", point.question());
                    JsonArray choices = new JsonArray();
                    for (Decision d : point.choices()) {
                        JsonObject co = new JsonObject();
                        co.addProperty("name", d.specName());
                        co.addProperty("citation", d.citation());
                        co.add("profiles", JsonReport.strings(users(point, d)));
                        choices.add(co);
                    }
                    po.add("choices", choices);
                    points.add(po);
                }
                o.add("decisionPoints", points);
                o.add("profiles", JsonReport.strings(Profiles.ALL.stream().map(Profile::name).toList()));
                o.add("eras", JsonReport.strings(Profiles.ERAS.stream().map(Profile::name).toList()));
                JsonArray tl = new JsonArray();
                for (Release r : Timeline.RELEASES) {
                    JsonObject ro = new JsonObject();
                    ro.addProperty("release", r.toString());
                    JsonArray changes = new JsonArray();
                    for (Timeline.Change c : Timeline.changesIn(r)) {
                        JsonObject co = new JsonObject();
                        co.addProperty("point", c.point().name());
                        co.addProperty("choice", c.choice().specName());
                        co.addProperty("commit", c.commit());
                        co.addProperty("evidence", c.evidence());
                        changes.add(co);
                    }
                    ro.add("changes", changes);
                    tl.add(ro);
                }
                o.add("timeline", tl);
                parent.out().println(JsonReport.pretty(o));
                return Exit.OK.code;
            }
            if (timeline) {
                parent.out().println("The release timeline, " + Timeline.OLDEST + ".." + Timeline.NEWEST + " (x86_64; --arch adapts the "
                        + "arch-decided points). Each change: point = choice, the commit, and how its first tag was established.");
                for (Release r : Timeline.RELEASES) {
                    List<Timeline.Change> changes = Timeline.changesIn(r);
                    if (changes.isEmpty()) continue;
                    parent.out().println();
                    parent.out().println(r + (Profiles.ERAS.stream().anyMatch(p -> p.name().equals(r.toString())) ? " (named era)" : ""));
                    for (Timeline.Change c : changes) {
                        parent.out().println("  " + c.point().name() + " = " + c.choice().specName());
                        parent.out().println("      " + c.commit() + " [" + c.evidence() + "]");
                    }
                }
                List<String> quiet = Timeline.RELEASES.stream().filter(r -> Timeline.changesIn(r).isEmpty()).map(Release::toString).toList();
                parent.out().println();
                parent.out().println("no modelled change in: " + String.join(", ", quiet));
                return Exit.OK.code;
            }
            for (DecisionPoint<?> point : DecisionPoint.ALL) {
                parent.out().println(point.name() + ": " + point.question());
                for (Decision d : point.choices()) {
                    String users = ranges(users(point, d));
                    parent.out().println("  " + d.specName() + (users.isEmpty() ? "  [no release]" : "  [" + users + "]"));
                    parent.out().println("      " + d.citation());
                }
            }
            parent.out().println();
            parent.out().println("releases: " + Timeline.OLDEST + ".." + Timeline.NEWEST + "; named eras: "
                    + String.join(", ", Profiles.ERAS.stream().map(Profile::name).toList())
                    + "; './mmcheck profiles --timeline' lists what changed in which release");
            return Exit.OK.code;
        }

        private static List<String> users(DecisionPoint<?> point, Decision d) {
            return Profiles.ALL.stream().filter(p -> p.get(point) == d).map(Profile::name).toList();
        }

        /** Consecutive timeline releases as one range: v4.8..v5.18, v6.2. */
        static String ranges(List<String> releases) {
            List<String> out = new java.util.ArrayList<>();
            List<Release> all = Timeline.RELEASES;
            int i = 0;
            while (i < releases.size()) {
                int start = all.indexOf(Release.parse(releases.get(i)));
                int j = i;
                while (j + 1 < releases.size() && all.indexOf(Release.parse(releases.get(j + 1))) == start + (j + 1 - i)) j++;
                out.add(i == j ? releases.get(i) : releases.get(i) + ".." + releases.get(j));
                i = j + 1;
            }
            return String.join(", ", out);
        }
    }

    @Command(name = "invariants", mixinStandardHelpOptions = true, version = Version.TOOL,
            description = "List the invariants and reachability witnesses.")
    static final class InvariantList implements Callable<Integer> {
        @Option(names = "--json", description = "print as JSON (schema mmcheck-invariants/1)")
        boolean json;

        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            if (json) {
                JsonObject o = root("mmcheck-invariants/1");
                JsonArray inv = new JsonArray();
                for (Invariant i : Catalogue.INVARIANTS) {
                    JsonObject io = new JsonObject();
                    io.addProperty("name", i.name());
                    io.addProperty("sentence", i.sentence());
                    io.addProperty("citation", i.citation());
                    inv.add(io);
                }
                o.add("invariants", inv);
                JsonArray wit = new JsonArray();
                for (Reachability w : Catalogue.WITNESSES) {
                    JsonObject wo = new JsonObject();
                    wo.addProperty("name", w.name());
                    wo.addProperty("sentence", w.sentence());
                    wit.add(wo);
                }
                o.add("witnesses", wit);
                parent.out().println(JsonReport.pretty(o));
                return Exit.OK.code;
            }
            for (Invariant i : Catalogue.INVARIANTS) {
                parent.out().println(i.name() + ": " + i.sentence());
                parent.out().println("    source: " + i.citation());
            }
            for (Reachability w : Catalogue.WITNESSES) {
                parent.out().println(w.name() + " (witness): " + w.sentence());
            }
            return Exit.OK.code;
        }
    }

    @Command(name = "ops", mixinStandardHelpOptions = true, version = Version.TOOL,
            description = "List the operations and the kernel functions each stands for.")
    static final class OpList implements Callable<Integer> {
        @Option(names = "--json", description = "print as JSON (schema mmcheck-ops/1)")
        boolean json;

        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            if (json) {
                JsonObject o = root("mmcheck-ops/1");
                JsonArray ops = new JsonArray();
                for (EntryPoint e : EntryPoint.values()) {
                    JsonObject eo = new JsonObject();
                    eo.addProperty("name", name(e));
                    eo.addProperty("what", e.what());
                    eo.addProperty("kernelFunctions", e.kernelFunctions());
                    ops.add(eo);
                }
                o.add("operations", ops);
                parent.out().println(JsonReport.pretty(o));
                return Exit.OK.code;
            }
            for (EntryPoint e : EntryPoint.values()) {
                parent.out().println(name(e) + ": " + e.what());
                parent.out().println("    " + e.kernelFunctions());
            }
            return Exit.OK.code;
        }

        private static String name(EntryPoint e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
