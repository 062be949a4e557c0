package dev.mmcheck.lib.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.plugin.PluginLoader;
import dev.mmcheck.lib.report.CounterexampleFile;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.Trace;
import dev.mmcheck.lib.run.Verdict;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.plugin.RulePlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mmcheck diff}, --set and rule plugins through the library, with the outcomes the issue asks for. */
class ChangeDiffTest {
    @TempDir
    Path tmp;

    private static ChangeDiff.Change change(ChangeDiff d, String property) {
        return d.properties().stream().filter(p -> p.property().equals(property)).findFirst().orElseThrow().change();
    }

    @Test
    void theV519AnonExclusiveFixShowsAsFixingPinCoherentAgainstV518() throws Exception {
        var spec = SpecParser.parse(Repo.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"));
        ChangeDiff d = MmCheck.options().profile("v5.18").diff(spec, Lookup.profile("v5.19"));
        assertEquals(ChangeDiff.Change.FIXES, change(d, "pin-coherent"));
        assertEquals(ChangeDiff.Change.UNCHANGED, change(d, "counts-match-references"));
        assertFalse(d.breaks());
        Trace t = d.properties().stream().filter(p -> p.property().equals("pin-coherent")).findFirst().orElseThrow().report().trace().orElseThrow();
        assertEquals(5, t.length());
        assertEquals("P0 *A = 0xff", t.steps().get(4).call());
        // The write after the pin now keeps the pinned page: the pin reads what the process wrote.
        assertEquals(List.of("P0:A=0xff P0:ropin=0xff"), List.copyOf(d.outcomesAdded().keySet()));
        assertEquals(List.of("P0:A=0xff P0:ropin=0x01"), List.copyOf(d.outcomesRemoved().keySet()));
        assertTrue(d.behavioursAdded().containsKey(
                "write fault: own PTE R/O anon page (ref 1025, map 1, exclusive, maybe pinned) -> RW same page"), d.behavioursAdded().toString());
        assertTrue(d.behavioursRemoved().containsKey(
                "write fault: own PTE R/O anon page (ref 1025, map 1, maybe pinned) -> RW new anon page"), d.behavioursRemoved().toString());
        assertEquals(5, d.behavioursAdded().get(
                "write fault: own PTE R/O anon page (ref 1025, map 1, exclusive, maybe pinned) -> RW same page").size());
        assertTrue(d.behavioursComplete());
    }

    @Test
    void theMprotectBatchingPluginBreaksWritableAnonIsExclusiveOnTheNewestRelease() throws Exception {
        List<RulePlugin> plugins = PluginLoader.load(List.of(Plugins.mprotectBatching(tmp)));
        assertEquals(1, plugins.size());
        assertEquals("mprotect-batching", plugins.get(0).name());
        assertEquals("mprotect-upgrade", plugins.get(0).point());
        var spec = SpecParser.parse(Repo.spec("specs/teeth/mprotect-batch-maybe-shared.mmc"));
        ChangeDiff d = MmCheck.options().profile("v7.1").plugin(plugins.get(0)).diff(spec, null);
        assertEquals(ChangeDiff.Change.BREAKS, change(d, "writable-anon-is-exclusive"));
        assertEquals(ChangeDiff.Change.UNCHANGED, change(d, "counts-match-references"));
        assertTrue(d.breaks());
        assertEquals("v7.1+mprotect-upgrade=plugin:mprotect-batching", d.after().profile());
        var broken = d.properties().stream().filter(p -> p.change() == ChangeDiff.Change.BREAKS).findFirst().orElseThrow().report();
        assertEquals(List.of("P0 mprotect(A-B, PROT_READ)", "P0 mprotect(A-B, PROT_READ|PROT_WRITE)"),
                broken.trace().orElseThrow().steps().stream().map(Trace.TraceStep::call).toList());
        assertEquals(6, broken.minimal().orElseThrow().calls().size());
        assertEquals(List.of("mprotect: own PTE R/O anon large-folio page (ref 2, map 1) -> RW same page (x2)"),
                List.copyOf(d.behavioursAdded().keySet()));
        assertTrue(d.behavioursRemoved().isEmpty());
    }

    @Test
    void thePluginBehavesAsTheBuiltInChoiceItReimplements() throws Exception {
        RulePlugin plugin = PluginLoader.load(Plugins.mprotectBatching(tmp)).get(0);
        for (String file : List.of("specs/teeth/mprotect-batch-maybe-shared.mmc", "specs/teeth/writable-anon-exclusive-mprotect.mmc")) {
            var spec = SpecParser.parse(Repo.spec(file));
            CheckReport viaPlugin = MmCheck.options().profile("v7.1").plugin(plugin).check(spec);
            CheckReport builtIn = MmCheck.options().profile("v7.1").set("mprotect-upgrade", "folio-not-mapped-shared").check(spec);
            assertEquals(builtIn.states(), viaPlugin.states(), file);
            assertEquals(builtIn.transitions(), viaPlugin.transitions(), file);
            for (var p : builtIn.properties()) assertEquals(p.verdict(), viaPlugin.verdict(p.name()), file + " " + p.name());
        }
    }

    @Test
    void aCounterexampleRecordsThePluginAndReplaysOnlyWithIt() throws Exception {
        RulePlugin plugin = PluginLoader.load(Plugins.mprotectBatching(tmp)).get(0);
        var spec = SpecParser.parse(Repo.spec("specs/teeth/mprotect-batch-maybe-shared.mmc"));
        CheckReport r = MmCheck.options().profile("v7.1").plugin(plugin).check(spec);
        assertEquals(Verdict.VIOLATED, r.verdict("writable-anon-is-exclusive"));
        assertEquals("plugin:mprotect-batching", r.decisions().get("mprotect-upgrade"));
        Path file = tmp.resolve("cx.json");
        var broken = r.property("writable-anon-is-exclusive");
        Files.writeString(file, CounterexampleFile.of(r, broken).toJson(broken.trace().orElseThrow()));
        MmCheck.Replay again = MmCheck.options().plugin(plugin).replay(file);
        assertTrue(again.stillViolates());
        var e = assertThrows(Lookup.UnknownName.class, () -> MmCheck.options().replay(file));
        assertEquals("recorded with the rule plugin mprotect-batching for mprotect-upgrade; replay with --plugin JAR that provides it",
                e.getMessage());
    }

    @Test
    void aChoiceThatNeedsAnotherIsOneClearErrorNamingBoth() throws Exception {
        var spec = SpecParser.parse(Repo.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"));
        var e = assertThrows(SpecException.class, () -> MmCheck.options().profile("v5.18").set("pin-unshare", "anon-not-exclusive").check(spec));
        assertTrue(e.getMessage().startsWith("inconsistent choices (set at --set pin-unshare=anon-not-exclusive): pin-unshare = "
                + "anon-not-exclusive needs anon-exclusive = tracked"), e.getMessage());
        // With the point it needs, the same choice runs (and is what v5.19 does).
        CheckReport ok = MmCheck.options().profile("v5.18").set("anon-exclusive", "tracked").set("pin-unshare", "anon-not-exclusive").check(spec);
        assertEquals(6, ok.states());
    }

    @Test
    void boundsFromTheCommandLineReplaceTheSpecsAndAreChecked() throws Exception {
        var spec = SpecParser.parse(Repo.spec("specs/explore/anon-all-ops-1page.mmc"));
        CheckReport d3 = MmCheck.options().bounds(null, null, 3, null).check(spec);
        CheckReport d4 = MmCheck.options().bounds(null, null, 4, null).check(spec);
        assertTrue(d3.boundsSummary().contains("depth 3"), d3.boundsSummary());
        assertTrue(d3.states() < d4.states());
        var litmus = SpecParser.parse(Repo.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"));
        var e = assertThrows(SpecException.class, () -> MmCheck.options().bounds(null, null, 3, null).check(litmus));
        assertTrue(e.getMessage().startsWith("with --depth 3: 'depth' is for explorations"), e.getMessage());
    }

    @Test
    void pluginInputMistakesAreOneMessageEach() throws Exception {
        Path notJar = Files.writeString(tmp.resolve("x.jar"), "not a zip");
        assertMessage(notJar + ": not a readable JAR", () -> PluginLoader.load(notJar));
        Path noServices = Plugins.jar(tmp, "empty", Map.of("p.A", "package p; public class A {}"), null);
        assertMessage(noServices + ": lists no rule plugin; expected the file META-INF/services/dev.mmcheck.model.plugin.RulePlugin",
                () -> PluginLoader.load(noServices));
        Path missing = Plugins.jar(tmp, "missing", Map.of("p.A", "package p; public class A {}"), List.of("p.Nope"));
        assertMessage(missing + ": ", () -> PluginLoader.load(missing));
        Path wrongPoint = Plugins.jar(tmp, "wrongpoint", Map.of("p.W", """
                package p;
                public class W implements dev.mmcheck.model.plugin.MprotectUpgradeRule {
                    public boolean canChangeWritable(dev.mmcheck.model.plugin.PageView v) { return false; }
                    public String point() { return "wp-reuse"; }
                    public String name() { return "w"; }
                    public String citation() { return "c"; }
                }"""), List.of("p.W"));
        assertMessage(wrongPoint + ": p.W replaces wp-reuse but does not implement dev.mmcheck.model.plugin.WpReuseRule",
                () -> PluginLoader.load(wrongPoint));
        Path unknownPoint = Plugins.jar(tmp, "unknownpoint", Map.of("p.U", """
                package p;
                public class U implements dev.mmcheck.model.plugin.WpReuseRule {
                    public boolean reuse(dev.mmcheck.model.plugin.PageView v) { return false; }
                    public String point() { return "ksm-break-cow"; }
                    public String name() { return "u"; }
                    public String citation() { return "c"; }
                }"""), List.of("p.U"));
        assertMessage(unknownPoint + ": p.U replaces 'ksm-break-cow', which takes no plugin; expected one of fork-maybe-pinned, "
                + "mprotect-upgrade, wp-reuse", () -> PluginLoader.load(unknownPoint));
        Path a = Plugins.mprotectBatching(tmp.resolve("a"));
        Path b = Plugins.mprotectBatching(tmp.resolve("b"));
        assertMessage(b + ": plugin mprotect-batching replaces mprotect-upgrade, which a plugin of " + a + " already replaces",
                () -> PluginLoader.load(List.of(a, b)));
    }

    @Test
    void aPluginThatThrowsStopsTheRunWithItsName() throws Exception {
        Path jar = Plugins.jar(tmp, "throws", Map.of("p.T", """
                package p;
                public class T implements dev.mmcheck.model.plugin.WpReuseRule {
                    public boolean reuse(dev.mmcheck.model.plugin.PageView v) { throw new IllegalStateException("unfinished"); }
                    public String name() { return "half-done"; }
                    public String citation() { return "a draft"; }
                }"""), List.of("p.T"));
        RulePlugin p = PluginLoader.load(jar).get(0);
        var spec = SpecParser.parse(Repo.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"));
        var e = assertThrows(SpecException.class, () -> MmCheck.options().profile("v5.18").plugin(p).check(spec));
        assertTrue(e.getMessage().startsWith("rule plugin half-done (wp-reuse) threw java.lang.IllegalStateException: unfinished at p.T.reuse"),
                e.getMessage());
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertMessage(String prefix, Call c) {
        var e = assertThrows(PluginLoader.PluginException.class, c::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
