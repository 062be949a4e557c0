package dev.mmcheck.cli;

import com.microsoft.z3.Context;
import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.arch.layout.Layout;
import dev.mmcheck.arch.layout.LayoutException;
import dev.mmcheck.arch.layout.Layouts;
import dev.mmcheck.arch.layout.SwapBounds;
import dev.mmcheck.arch.z3.ArchChecks;
import dev.mmcheck.arch.z3.CounterWidths;
import dev.mmcheck.arch.z3.Realizability;
import dev.mmcheck.arch.z3.Verdict;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mmcheck arch check}: the Z3 checks of each architecture's PTE encodings, and the counter widths. */
@Command(name = "arch", mixinStandardHelpOptions = true, version = dev.mmcheck.lib.Version.TOOL,
        description = "Architecture PTE bits, decided with Z3.", subcommands = {ArchCommand.Check.class, CommandLine.HelpCommand.class})
final class ArchCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    Main parent;

    @Override
    public Integer call() {
        new CommandLine(this).usage(parent.err());
        return Exit.BAD_INPUT.code;
    }

    @Command(name = "check", mixinStandardHelpOptions = true, version = dev.mmcheck.lib.Version.TOOL,
            description = "Run the check catalogue per arch: holds, VIOLATED (with a PTE decoded by name) or UNKNOWN.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--arch", paramLabel = "A", description = "an architecture (${COMPLETION-CANDIDATES}); repeatable; default all",
                completionCandidates = ArchNames.class)
        List<String> arches = new ArrayList<>();

        @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "20000", description = "solver timeout per question, 1..3600000")
        int timeoutMs;

        @Option(names = "--profile", paramLabel = "P", description = "the release checked: what the kernel has at it (PTE "
                + "markers, an arch's uffd-wp) and the zeropage refcount rules (default the newest on the timeline)")
        String profileName;

        @Option(names = "--json", description = "print as JSON (schema mmcheck-arch/2)")
        boolean json;

        @CommandLine.ParentCommand
        ArchCommand arch;

        @Override
        public Integer call() {
            PrintStream out = arch.parent.out();
            PrintStream err = arch.parent.err();
            if (timeoutMs < 1 || timeoutMs > 3_600_000) {
                err.println("mmcheck: --timeout-ms must be 1..3600000, got " + timeoutMs);
                return Exit.BAD_INPUT.code;
            }
            List<String> names = arches.isEmpty() ? Layouts.ARCHES : arches;
            List<Layout> layouts = new ArrayList<>();
            for (String a : names) {
                try {
                    layouts.add(Layouts.bundled(a).orElse(null));
                } catch (LayoutException e) {
                    err.println("mmcheck: " + e.getMessage());
                    return Exit.BAD_INPUT.code;
                }
                if (layouts.get(layouts.size() - 1) == null) {
                    err.println("mmcheck: unknown arch '" + a + "'; expected one of " + Layouts.ARCHES);
                    return Exit.BAD_INPUT.code;
                }
            }
            dev.mmcheck.model.profile.Profile profile;
            try {
                profile = profileName == null ? dev.mmcheck.model.profile.Profiles.NEWEST : dev.mmcheck.lib.Lookup.profile(profileName);
            } catch (IllegalArgumentException e) {
                err.println("mmcheck: --profile: " + e.getMessage());
                return Exit.BAD_INPUT.code;
            }
            boolean failing = false;
            com.google.gson.JsonArray archJson = new com.google.gson.JsonArray();
            com.google.gson.JsonArray widthsJson = new com.google.gson.JsonArray();
            dev.mmcheck.model.profile.Release release = dev.mmcheck.model.profile.Release.parse(profile.release());
            try (Context ctx = new Context()) {
                for (Layout l : layouts) {
                    ArchFeatures f = l.features();
                    ArchChecks checks = new ArchChecks(ctx, l, release, timeoutMs);
                    SwapBounds b = checks.bounds();
                    List<Verdict> vs = new ArrayList<>(checks.all());
                    vs.addAll(new Realizability(ctx, l, release, timeoutMs).all());
                    vs.addAll(new CounterWidths(ctx, timeoutMs).zeropage(f.adapt(profile)));
                    for (Verdict v : vs) failing |= v.failing();
                    if (json) {
                        com.google.gson.JsonObject ao = new com.google.gson.JsonObject();
                        ao.addProperty("arch", l.arch());
                        ao.addProperty("headersRead", l.read());
                        com.google.gson.JsonObject fo = new com.google.gson.JsonObject();
                        fo.addProperty("pteSpecial", f.pteSpecial());
                        fo.addProperty("swpExclusive", f.swpExclusive());
                        fo.addProperty("swpExclusiveSince", f.swpExclusiveSince());
                        fo.addProperty("uffdWp", f.uffdWp());
                        fo.addProperty("softDirty", f.softDirty());
                        fo.addProperty("forbidsZeropage", f.forbidsZeropage());
                        ao.add("features", fo);
                        com.google.gson.JsonObject bo = new com.google.gson.JsonObject();
                        bo.addProperty("maxSwapfiles", b.maxSwapfiles());
                        bo.addProperty("genericMaxSwapfileSize", hex(b.genericMaxSwapfileSize()));
                        bo.addProperty("maxSwapfileSize", hex(b.archMaxSwapfileSize()));
                        bo.addProperty("maxOffset", hex(b.maxOffset()));
                        bo.addProperty("description", b.describe());
                        ao.add("swapBounds", bo);
                        ao.add("checks", verdicts(vs));
                        archJson.add(ao);
                        continue;
                    }
                    out.println("arch " + l.arch() + "  (headers read: " + l.read() + ")");
                    out.println("  features: " + feature("pte_special", f.pteSpecial(), "CONFIG_ARCH_HAS_PTE_SPECIAL") + "; "
                            + feature("swap exclusive bit", f.swpExclusive(), "__HAVE_ARCH_PTE_SWP_EXCLUSIVE")
                            + (f.swpExclusiveSince().isEmpty() ? "" : " from " + f.swpExclusiveSince()) + "; "
                            + feature("uffd-wp", f.uffdWp(), "CONFIG_HAVE_ARCH_USERFAULTFD_WP")
                            + l.since("CONFIG_HAVE_ARCH_USERFAULTFD_WP").map(s -> " from " + s).orElse("") + "; "
                            + feature("soft-dirty", f.softDirty(), "CONFIG_HAVE_ARCH_SOFT_DIRTY") + "; "
                            + feature("storage keys", f.forbidsZeropage(), "mm_forbids_zeropage()"));
                    out.println("  swap entries: " + b.describe());
                    out.println("  zeropage rules of " + f.adapt(profile).name());
                    print(vs, out);
                    out.println();
                }
                List<Verdict> widths = new CounterWidths(ctx, timeoutMs).all();
                for (Verdict v : widths) failing |= v.failing();
                if (json) {
                    widthsJson = verdicts(widths);
                } else {
                    out.println("counter widths (the same on every arch)");
                    print(widths, out);
                }
            } catch (IllegalArgumentException e) {
                err.println("mmcheck: layout error: " + e.getMessage());
                return Exit.BAD_INPUT.code;
            }
            if (json) {
                com.google.gson.JsonObject o = new com.google.gson.JsonObject();
                o.addProperty("schema", "mmcheck-arch/2");
                o.addProperty("tool", dev.mmcheck.lib.Version.TOOL);
                o.addProperty("profile", profile.name());
                o.add("arches", archJson);
                o.add("counterWidths", widthsJson);
                o.addProperty("failing", failing);
                out.println(dev.mmcheck.lib.report.JsonReport.pretty(o));
                return failing ? Exit.VIOLATION.code : Exit.OK.code;
            }
            out.println();
            out.println(failing ? "result: VIOLATED or not proved (exit 1)" : "result: every check holds (exit 0)");
            return failing ? Exit.VIOLATION.code : Exit.OK.code;
        }

        private static com.google.gson.JsonArray verdicts(List<Verdict> vs) {
            com.google.gson.JsonArray a = new com.google.gson.JsonArray();
            for (Verdict v : vs) {
                com.google.gson.JsonObject o = new com.google.gson.JsonObject();
                o.addProperty("check", v.check());
                o.addProperty("status", v.status().name().toLowerCase(java.util.Locale.ROOT));
                o.addProperty("sentence", v.sentence());
                o.addProperty("citation", v.citation());
                o.addProperty("detail", v.detail());
                if (!v.outsideBounds().isEmpty()) o.addProperty("outsideBounds", v.outsideBounds());
                a.add(o);
            }
            return a;
        }

        private static String hex(long v) {
            return "0x" + Long.toHexString(v);
        }

        private static String feature(String what, boolean has, String symbol) {
            return what + (has ? " yes" : " no") + " (" + symbol + ")";
        }

        private static void print(List<Verdict> vs, PrintStream out) {
            for (Verdict v : vs) {
                out.printf("  %-16s %s: %s%n", v.status().text(), v.check(), v.sentence());
                if (v.status() != Verdict.Status.HOLDS || !v.outsideBounds().isEmpty()) out.println("                   " + v.detail());
            }
        }
    }

    static final class ArchNames extends ArrayList<String> {
        ArchNames() {
            super(Layouts.ARCHES);
        }
    }
}
