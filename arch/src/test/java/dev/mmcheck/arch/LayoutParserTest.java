package dev.mmcheck.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mmcheck.arch.layout.Layout;
import dev.mmcheck.arch.layout.LayoutException;
import dev.mmcheck.arch.layout.Layouts;
import dev.mmcheck.arch.layout.SwapBounds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The layout language: C precedence and unsigned semantics, and errors with file and line. No Z3 here. */
class LayoutParserTest {
    private static Layout parse(String text) {
        return Layouts.parse("t.layout", "arch toy\n" + text, "g.layout", "");
    }

    @Test
    void constantsFollowCPrecedenceAndUnsignedSemantics() {
        Layout l = parse("""
                const A = 1 << 3 | 1            # 9
                const B = ~0 >> 60              # logical shift: 15
                const C = A & 8 ? 100 : 200     # ?: binds loosest: (A & 8) ? 100 : 200
                const D = GENMASK(7, 4) + BIT(1) # 0xf0 + 2
                const E = 0xffffffffffffffffULL / 2
                def twice(x) = x + x
                const F = twice(A) == 18 && !0
                """);
        assertEquals(9, l.value("A"));
        assertEquals(15, l.value("B"));
        assertEquals(100, l.value("C"));
        assertEquals(0xf2, l.value("D"));
        assertEquals(Long.MAX_VALUE, l.value("E"));
        assertEquals(1, l.value("F"));
        assertEquals("# 9".substring(2), l.citation("A").orElseThrow());
    }

    @Test
    void aMalformedLineIsReportedWithFileAndLine() {
        LayoutException e = assertThrows(LayoutException.class, () -> parse("const A = 1\nconst B = (1 <<\n"));
        assertEquals("t.layout:3: expression ends early", e.getMessage());
        LayoutException e2 = assertThrows(LayoutException.class, () -> parse("frob X\n"));
        assertEquals("t.layout:2: expected 'arch', 'read', 'config NAME = y|n [since vX.Y]', 'const NAME = EXPR' or 'def NAME(ARGS) = EXPR'",
                e2.getMessage());
    }

    @Test
    void featuresComeFromTheConfigLines() {
        Layout l = parse("""
                config CONFIG_ARCH_HAS_PTE_SPECIAL = y
                config __HAVE_ARCH_PTE_SWP_EXCLUSIVE = n
                config CONFIG_HAVE_ARCH_USERFAULTFD_WP = n
                config CONFIG_HAVE_ARCH_SOFT_DIRTY = y
                config mm_forbids_zeropage = n
                """);
        assertEquals(new dev.mmcheck.arch.layout.ArchFeatures("toy", true, false, "", false, true, false), l.features());
        assertEquals("v5.19+swap-pte-exclusive=absent", l.features().adapt(dev.mmcheck.model.profile.Profiles.V5_19).name());
    }

    @Test
    void aConfigThatArrivedLaterAppliesFromItsRelease() {
        Layout l = parse("""
                config CONFIG_ARCH_HAS_PTE_SPECIAL = y
                config __HAVE_ARCH_PTE_SWP_EXCLUSIVE = y since v6.3
                config CONFIG_HAVE_ARCH_USERFAULTFD_WP = n
                config CONFIG_HAVE_ARCH_SOFT_DIRTY = y
                config mm_forbids_zeropage = y
                """);
        var p = dev.mmcheck.model.profile.Profiles.named("v6.2").orElseThrow();
        assertEquals("v6.2+swap-pte-exclusive=absent+storage-keys=present", l.features().adapt(p).name());
        var q = dev.mmcheck.model.profile.Profiles.named("v6.3").orElseThrow();
        assertEquals("v6.3+storage-keys=present", l.features().adapt(q).name());
        LayoutException e = assertThrows(LayoutException.class, () -> parse("config X = n since v6.3\n"));
        assertEquals("t.layout:2: 'since' only follows '= y'", e.getMessage());
    }

    @Test
    void theGenericFilesDefinitionsAreWeakSoAnArchDefinitionWins() {
        Layout l = Layouts.parse("t.layout", "arch toy\nconst A = 1\ndef f(x) = x + A  # arch\n", "g.layout",
                "const A = 2\nconst B = A + 10\ndef f(x) = 0  # generic\ndef g(x) = f(x) * 2\n");
        assertEquals(1, l.value("A"));
        assertEquals(11, l.value("B"));
        assertEquals(4, l.call("g", 1));
        assertEquals("arch", l.citation("f").orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"x86_64, 50", "arm64, 50", "riscv64, 52", "s390x, 52", "ppc64, 41"})
    void theKernelsProbeOfTheLargestSwapOffsetAgreesWithTheTranscribedWidthAndUintMaxCapsIt(String arch, int offsetBits) {
        Layout l = Layouts.bundled(arch).orElseThrow();
        SwapBounds b = SwapBounds.of(l);
        // generic_max_swapfile_size() is computed from the layout's own macros, as mm/swapfile.c computes it
        assertEquals(1L << offsetBits, b.genericMaxSwapfileSize());
        assertEquals(1L << l.value("SWP_OFFSET_BITS"), b.genericMaxSwapfileSize());
        assertEquals(b.genericMaxSwapfileSize(), b.archMaxSwapfileSize());
        assertEquals(0xfffffffeL, b.maxOffset());
        assertEquals(24, b.maxSwapfiles());
        assertEquals(31, l.value("SWP_PTE_MARKER"));
    }

    @Test
    void x86sL1tfLimitIsHalfThePhysicalAddressSpaceInSwapPagesAndNeverAboveTheGenericLimit() {
        Layout x86 = Layouts.bundled("x86_64").orElseThrow();
        // l1tf_pfn_limit() = 2^(bits - 1 - 12) pfns, << 3 for the three offset bits below the pfn: 2^(bits - 10) pages
        assertEquals(1L << 36, x86.call("l1tf_max_swapfile_size", 46));
        assertEquals(1L << 29, x86.call("l1tf_max_swapfile_size", 39));
        assertEquals(1L << 50, x86.call("l1tf_max_swapfile_size", 64));
    }

    @Test
    void everyArchDefinesItsOwnSwapFlagClearingForTheBitsItHas() {
        for (String arch : Layouts.ARCHES) {
            Layout l = Layouts.bundled(arch).orElseThrow();
            assertEquals(true, l.citation("pte_swp_clear_exclusive").orElseThrow().startsWith("arch/"), arch);
            String sd = l.citation("pte_swp_clear_soft_dirty").orElseThrow();
            assertEquals(l.features().softDirty(), sd.startsWith("arch/"), arch + ": " + sd);
            String uw = l.citation("pte_swp_clear_uffd_wp").orElseThrow();
            assertEquals(l.features().uffdWp(), uw.startsWith("arch/"), arch + ": " + uw);
        }
    }
}
