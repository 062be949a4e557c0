package dev.mmcheck.cli;

import com.microsoft.z3.Context;
import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.arch.layout.Layout;
import dev.mmcheck.arch.layout.LayoutException;
import dev.mmcheck.arch.layout.Layouts;
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
@Command(name = "arch", description = "Architecture PTE bits, decided with Z3.", subcommands = {ArchCommand.Check.class})
final class ArchCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    Main parent;

    @Override
    public Integer call() {
        new CommandLine(this).usage(parent.err());
        return Main.BAD_INPUT;
    }

    @Command(name = "check", description = "Run the check catalogue per arch: holds, VIOLATED (with a PTE decoded by name) or UNKNOWN.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--arch", paramLabel = "A", description = "an architecture (${COMPLETION-CANDIDATES}); repeatable; default all",
                completionCandidates = ArchNames.class)
        List<String> arches = new ArrayList<>();

        @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "20000", description = "solver timeout per question")
        int timeoutMs;

        @CommandLine.ParentCommand
        ArchCommand arch;

        @Override
        public Integer call() {
            PrintStream out = arch.parent.out();
            PrintStream err = arch.parent.err();
            List<String> names = arches.isEmpty() ? Layouts.ARCHES : arches;
            List<Layout> layouts = new ArrayList<>();
            for (String a : names) {
                try {
                    layouts.add(Layouts.bundled(a).orElse(null));
                } catch (LayoutException e) {
                    err.println("mmcheck: " + e.getMessage());
                    return Main.BAD_INPUT;
                }
                if (layouts.get(layouts.size() - 1) == null) {
                    err.println("mmcheck: unknown arch '" + a + "'; expected one of " + Layouts.ARCHES);
                    return Main.BAD_INPUT;
                }
            }
            boolean failing = false;
            try (Context ctx = new Context()) {
                for (Layout l : layouts) {
                    out.println("arch " + l.arch() + "  (headers read: " + l.read() + ")");
                    ArchFeatures f = l.features();
                    out.println("  features: " + feature("pte_special", f.pteSpecial(), "CONFIG_ARCH_HAS_PTE_SPECIAL") + "; "
                            + feature("swap exclusive bit", f.swpExclusive(), "__HAVE_ARCH_PTE_SWP_EXCLUSIVE") + "; "
                            + feature("uffd-wp", f.uffdWp(), "CONFIG_HAVE_ARCH_USERFAULTFD_WP") + "; "
                            + feature("soft-dirty", f.softDirty(), "CONFIG_HAVE_ARCH_SOFT_DIRTY"));
                    List<Verdict> vs = new ArrayList<>(new ArchChecks(ctx, l, timeoutMs).all());
                    vs.addAll(new Realizability(ctx, l, timeoutMs).all());
                    failing |= print(vs, out);
                    out.println();
                }
                out.println("counter widths (the same on every arch)");
                failing |= print(new CounterWidths(ctx, timeoutMs).all(), out);
            } catch (IllegalArgumentException e) {
                err.println("mmcheck: layout error: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            out.println();
            out.println(failing ? "result: VIOLATED or not proved (exit 1)" : "result: every check holds (exit 0)");
            return failing ? Main.VIOLATION : Main.OK;
        }

        private static String feature(String what, boolean has, String symbol) {
            return what + (has ? " yes" : " no") + " (" + symbol + ")";
        }

        private static boolean print(List<Verdict> vs, PrintStream out) {
            boolean failing = false;
            for (Verdict v : vs) {
                out.printf("  %-16s %s: %s%n", v.status().text(), v.check(), v.sentence());
                if (v.status() != Verdict.Status.HOLDS) out.println("                   " + v.detail());
                failing |= v.failing();
            }
            return failing;
        }
    }

    static final class ArchNames extends ArrayList<String> {
        ArchNames() {
            super(Layouts.ARCHES);
        }
    }
}
