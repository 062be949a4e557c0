package dev.mmcheck.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mmcheck.arch.layout.Layout;
import dev.mmcheck.arch.layout.LayoutException;
import dev.mmcheck.arch.layout.Layouts;
import org.junit.jupiter.api.Test;

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
}
