package dev.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Repo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C in a real process ends with a partial report and 130; an internal error is one line and a file. */
class InterruptAndCrashTest {

    @Test
    void ctrlCStopsTheSearchPrintsAndWritesThePartialReportAndExits130(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("long.mmc");
        Files.writeString(spec, Files.readString(Repo.spec("specs/explore/anon-all-ops-1page.mmc")).replace("depth 6", "depth 14"));
        Path txt = dir.resolve("partial.txt");
        Path json = dir.resolve("partial.json");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check",
                spec.toString(), "--out", txt.toString(), "--out", json.toString())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile()).start();
        // Let the search get going, then interrupt it as a terminal would.
        Thread.sleep(3000);
        assertTrue(p.isAlive(), "the search should still be running after 3 s");
        assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends soon after Ctrl-C");
        String stdout = Files.readString(dir.resolve("stdout"));
        String stderr = Files.readString(dir.resolve("stderr"));
        assertEquals(130, p.exitValue(), stdout + stderr);
        assertTrue(stdout.contains("interrupted, exploration incomplete"), stdout);
        assertTrue(stdout.endsWith("result: INCOMPLETE: interrupted before the bounds were covered; no violation in the explored part\n"), stdout);
        assertEquals("mmcheck: interrupted; the report above is partial\n", stderr);
        assertTrue(Files.readString(txt).contains("result: INCOMPLETE: interrupted"), Files.readString(txt));
        assertTrue(Files.readString(json).contains("\"stop\": \"cancelled\""), Files.readString(json));
    }

    @Test
    void anInternalErrorIsOneLineOnTheTerminalAndTheStackTraceInAFile() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.internalError(new IllegalStateException("model is not deterministic"), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(3, status);
        String line = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, line.split("\n").length, line);
        Matcher m = Pattern.compile("mmcheck: internal error: IllegalStateException: model is not deterministic; "
                + "the stack trace is in (\\S+); please report it\n").matcher(line);
        assertTrue(m.matches(), line);
        Path file = Path.of(m.group(1));
        List<String> trace = Files.readAllLines(file);
        assertTrue(trace.get(1).startsWith("java.lang.IllegalStateException: model is not deterministic"), trace.toString());
        assertTrue(trace.get(2).contains("at dev.mmcheck.cli.InterruptAndCrashTest"), trace.toString());
        Files.delete(file);
    }
}
