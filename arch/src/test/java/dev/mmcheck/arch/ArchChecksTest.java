package dev.mmcheck.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.z3.Context;
import dev.mmcheck.arch.layout.Layout;
import dev.mmcheck.arch.layout.Layouts;
import dev.mmcheck.arch.z3.ArchChecks;
import dev.mmcheck.arch.z3.Realizability;
import dev.mmcheck.arch.z3.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The check catalogue on every bundled layout: exact verdicts, exact counterexamples, and teeth. */
class ArchChecksTest {
    private Context ctx;

    @BeforeEach
    void open() {
        ctx = new Context();
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    private List<Verdict> run(Layout l) {
        List<Verdict> vs = new ArrayList<>(new ArchChecks(ctx, l, 20_000).all());
        vs.addAll(new Realizability(ctx, l, 20_000).all());
        return vs;
    }

    private static String statuses(List<Verdict> vs) {
        return vs.stream().map(v -> v.check() + "=" + v.status()).collect(Collectors.joining(" "));
    }

    private static Verdict named(List<Verdict> vs, String name) {
        return vs.stream().filter(v -> v.check().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
            "x86_64 => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=VIOLATED swp-exclusive-bit=HOLDS swp-uffd-wp-bit=HOLDS "
                    + "swp-soft-dirty-bit=HOLDS pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS uffd-wp-special-pte=VIOLATED "
                    + "abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
            "arm64 => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=HOLDS "
                    + "swp-soft-dirty-bit=NOT_APPLICABLE pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + "uffd-wp-special-pte=NOT_APPLICABLE abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
            "riscv64 => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=NOT_APPLICABLE "
                    + "swp-soft-dirty-bit=NOT_APPLICABLE pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + "uffd-wp-special-pte=NOT_APPLICABLE abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
            "s390x => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=NOT_APPLICABLE "
                    + "swp-soft-dirty-bit=HOLDS pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + "uffd-wp-special-pte=NOT_APPLICABLE abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
            "ppc64 => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=NOT_APPLICABLE "
                    + "swp-soft-dirty-bit=HOLDS pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + "uffd-wp-special-pte=NOT_APPLICABLE abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
    })
    void everyArchGivesItsExactVerdicts(String arch, String expected) {
        assertEquals(expected, statuses(run(Layouts.bundled(arch).orElseThrow())));
    }

    @Test
    void onX86TheL1tfInvertedEncodingOfTheLargestSwapOffsetIsTheEmptyPte() {
        List<Verdict> vs = run(Layouts.bundled("x86_64").orElseThrow());
        assertEquals("type = 0x0, offset = 0x3ffffffffffff, pte = 0x0 [no bits set]", named(vs, "swap-pte-not-present-nor-none").detail());
        // the seed's comment says this PTE has swp_type == swp_offset == 0; with the L1TF inversion the offset reads as all ones
        assertEquals("pte = 0x4 [_PAGE_USER/_PAGE_SWP_UFFD_WP], its swap type = 0x0, its swap offset = 0x3ffffffffffff",
                named(vs, "uffd-wp-special-pte").detail());
    }

    @Test
    void movingX86sSwapUffdWpBitOntoAnOffsetBitIsCaught() {
        Layout x86 = Layouts.bundled("x86_64").orElseThrow();
        long offsetBit = 1L << x86.value("SWP_OFFSET_SHIFT") >>> x86.value("SWP_TYPE_BITS"); // lowest stored offset bit
        Verdict v = named(new ArchChecks(ctx, x86.withConst("_PAGE_SWP_UFFD_WP", offsetBit), 20_000).all(), "swp-uffd-wp-bit");
        assertEquals(Verdict.Status.VIOLATED, v.status());
    }

    @Test
    void movingArm64sSwapExclusiveBitOntoATypeBitIsCaught() {
        Layout arm = Layouts.bundled("arm64").orElseThrow();
        long typeBit = 1L << arm.value("__SWP_TYPE_SHIFT");
        Verdict v = named(new ArchChecks(ctx, arm.withConst("PTE_SWP_EXCLUSIVE", typeBit), 20_000).all(), "swp-exclusive-bit");
        assertEquals(Verdict.Status.VIOLATED, v.status());
    }

    @Test
    void makingX86sSpecialBitASoftDirtyAliasMakesTwoAbstractStatesShareAnEncoding() {
        Layout x86 = Layouts.bundled("x86_64").orElseThrow();
        Layout broken = x86.withConst("_PAGE_SPECIAL", x86.value("_PAGE_SOFT_DIRTY"));
        Verdict v = named(new Realizability(ctx, broken, 20_000).all(), "abstract-states-realizable");
        assertEquals(Verdict.Status.VIOLATED, v.status());
    }
}
