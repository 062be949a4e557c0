package dev.mmcheck.cli;

import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.checker.Statistics;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * What the command line does with the terminal while a search runs: a progress line refreshed in place on stderr
 * (only when stderr is a terminal and not --quiet), and Ctrl-C turned into a clean stop with a partial report.
 */
final class Terminal {
    private Terminal() {
    }

    /** True when the process talks to a person: the JVM has a console (stdin and stdout are a terminal). */
    static boolean interactive() {
        return System.console() != null;
    }

    /**
     * A progress line: states, states/s, depth, frontier, heap in use and elapsed time, refreshed at most four times a
     * second. {@link #done()} clears it so the report starts on a clean line.
     */
    static final class Progress implements Consumer<Statistics> {
        private final PrintStream err;
        private final String label;
        private long lastPrint;
        private boolean shown;

        Progress(PrintStream err, String label) {
            this.err = err;
            this.label = label;
        }

        @Override
        public void accept(Statistics s) {
            long now = System.nanoTime();
            if (now - lastPrint < 250_000_000L) return;
            lastPrint = now;
            double secs = Math.max(1e-3, s.elapsed().toNanos() / 1e9);
            Runtime rt = Runtime.getRuntime();
            long usedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
            String line = String.format("%s: %,d states (%,.0f/s), depth %d, frontier %,d, heap %,d MiB, %.1f s",
                    label, s.distinctStates(), s.distinctStates() / secs, s.maxDepthReached(), s.frontier(), usedMb, secs);
            err.print("\r" + line + "\u001b[K");
            err.flush();
            shown = true;
        }

        void done() {
            if (shown) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }

    /**
     * A sweep's progress bar on stderr: {@code [#####.....] 12/440 runs, 3.1 s: gup/x v5.9}, refreshed at most four
     * times a second and always at the last run; {@link #done()} clears it. Updated from the pool's threads.
     */
    static final class Bar {
        private static final int WIDTH = 24;
        private final PrintStream err;
        private final String label;
        private final long start = System.nanoTime();
        private long lastPrint;
        private boolean shown;

        Bar(PrintStream err, String label) {
            this.err = err;
            this.label = label;
        }

        synchronized void update(int done, int total, String last) {
            long now = System.nanoTime();
            if (done < total && now - lastPrint < 250_000_000L) return;
            lastPrint = now;
            int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
            String line = String.format("%s [%s%s] %d/%d runs, %.1f s: %s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done,
                    total, (now - start) / 1e9, last);
            err.print("\r" + line + "\u001b[K");
            err.flush();
            shown = true;
        }

        synchronized void done() {
            if (shown) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }

    /**
     * Ctrl-C cancels the running search; the command then prints and writes its partial report and exits 130. A
     * second Ctrl-C exits at once. Uses sun.misc.Signal (module jdk.unsupported), the JDK's only way to catch
     * SIGINT without ending the JVM; where it is missing, Ctrl-C ends the process as usual.
     */
    @SuppressWarnings("removal")
    static void onInterrupt(Cancellation cancellation) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> {
                if (cancellation.isCancelled()) {
                    Runtime.getRuntime().halt(Exit.INTERRUPTED.code);
                }
                cancellation.cancel();
            });
        } catch (IllegalArgumentException | LinkageError e) {
            // no SIGINT handling on this platform: the default behaviour stays
        }
    }
}
