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
            description = "List the kernel-release profiles and their decisions, with citations.")
    static final class ProfileList implements Callable<Integer> {
        @Option(names = "--json", description = "print as JSON (schema mmcheck-profiles/1)")
        boolean json;

        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            if (json) {
                JsonObject o = root("mmcheck-profiles/1");
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
                parent.out().println(JsonReport.pretty(o));
                return Exit.OK.code;
            }
            for (DecisionPoint<?> point : DecisionPoint.ALL) {
                parent.out().println(point.name() + ": " + point.question());
                for (Decision d : point.choices()) {
                    List<String> users = users(point, d);
                    parent.out().println("  " + d.specName() + (users.isEmpty() ? "" : "  [" + String.join(", ", users) + "]"));
                    parent.out().println("      " + d.citation());
                }
            }
            return Exit.OK.code;
        }

        private static List<String> users(DecisionPoint<?> point, Decision d) {
            return Profiles.ALL.stream().filter(p -> p.get(point) == d).map(Profile::name).toList();
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
