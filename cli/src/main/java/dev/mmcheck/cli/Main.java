package dev.mmcheck.cli;

import dev.mmcheck.lib.Version;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The mmcheck command line: a thin shell over mmcheck-lib. Every command has --help and --json; the exit statuses
 * are those of {@link Exit}. A bug in mmcheck is one line on the terminal and a stack trace in a file, never a trace
 * on the terminal.
 */
@Command(name = "mmcheck", mixinStandardHelpOptions = true, version = Version.TOOL,
        description = "Bounded model checker for Linux memory-management (COW/GUP/fork/KSM/swap) invariants.",
        subcommands = {CheckCommand.class, ReplayCommand.class, DiffCommand.class, SweepCommand.class, ArchCommand.class, BenchCommand.class,
                ListCommands.ProfileList.class,
                ListCommands.InvariantList.class, ListCommands.OpList.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit status:", "  0    no violation within bounds", "  1    a violation (or an exists/witness not reached)",
                "  2    bad input or usage", "  3    internal error (stack trace in a file)",
                "  4    incomplete: a state bound, time or memory limit stopped the search",
                "  130  interrupted (Ctrl-C); the partial report is printed and written"})
public final class Main implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    private Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out, err));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("mmcheck: " + ex.getMessage());
            err.println("Try 'mmcheck " + commandPath(ex.getCommandLine()) + " --help' for the options.");
            return Exit.BAD_INPUT.code;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> internalError(ex, err));
        try {
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            return internalError(e, err);
        }
    }

    private static String commandPath(CommandLine c) {
        String path = c.getCommandSpec().qualifiedName(" ");
        return path.startsWith("mmcheck") ? path.substring("mmcheck".length()).trim() : path;
    }

    /** One line on the terminal; the stack trace goes to a file named in that line. */
    static int internalError(Throwable e, PrintStream err) {
        String where;
        try {
            Path file = Files.createTempFile("mmcheck-crash-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-", ".txt");
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            Files.writeString(file, Version.TOOL + "\n" + trace);
            where = "the stack trace is in " + file;
        } catch (IOException | RuntimeException io) {
            where = "the stack trace could not be written (" + io.getMessage() + ")";
        }
        String what = e instanceof OutOfMemoryError ? "out of memory outside the search (set a larger heap with MMCHECK_JAVA_OPTS=-Xmx...)"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
        err.println("mmcheck: internal error: " + what + "; " + where + "; please report it");
        return Exit.INTERNAL_ERROR.code;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String l = nl < 0 ? s : s.substring(0, nl);
        return l.length() > 200 ? l.substring(0, 200) + "..." : l;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(err);
        return Exit.BAD_INPUT.code;
    }
}
