package dev.mmcheck.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.z3.Context;
import dev.mmcheck.arch.layout.Layout;
import dev.mmcheck.arch.layout.Layouts;
import dev.mmcheck.arch.z3.ArchChecks;
import dev.mmcheck.arch.z3.Realizability;
import dev.mmcheck.arch.z3.Verdict;
import dev.mmcheck.model.profile.Release;
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

    private List<Verdict> checks(Layout l) {
        return new ArchChecks(ctx, l, 20_000).all();
    }

    private List<Verdict> at(String release, Layout l) {
        List<Verdict> vs = new ArrayList<>(new ArchChecks(ctx, l, Release.parse(release), 20_000).all());
        vs.addAll(new Realizability(ctx, l, Release.parse(release), 20_000).all());
        return vs;
    }

    private static String statuses(List<Verdict> vs) {
        return vs.stream().map(v -> v.check() + "=" + v.status()).collect(Collectors.joining(" "));
    }

    private static Verdict named(List<Verdict> vs, String name) {
        return vs.stream().filter(v -> v.check().equals(name)).findFirst().orElseThrow();
    }

    private static Layout bundled(String arch) {
        return Layouts.bundled(arch).orElseThrow();
    }

    private static final String NO_SEED = "uffd-wp-special-pte-not-none=NOT_APPLICABLE uffd-wp-special-pte-not-present=NOT_APPLICABLE "
            + "uffd-wp-special-pte-has-uffd-wp-bit=NOT_APPLICABLE uffd-wp-special-pte-no-valid-swap-entry=NOT_APPLICABLE ";
    private static final String NO_MARKER = "uffd-wp-marker-not-none=NOT_APPLICABLE uffd-wp-marker-not-present=NOT_APPLICABLE "
            + "uffd-wp-marker-reads-as-uffd-wp=NOT_APPLICABLE uffd-wp-marker-no-valid-swap-entry=NOT_APPLICABLE ";
    private static final String MARKER = "uffd-wp-marker-not-none=HOLDS uffd-wp-marker-not-present=HOLDS "
            + "uffd-wp-marker-reads-as-uffd-wp=HOLDS uffd-wp-marker-no-valid-swap-entry=HOLDS ";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
            "x86_64 => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=HOLDS "
                    + "swp-soft-dirty-bit=HOLDS pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + "uffd-wp-special-pte-not-none=HOLDS uffd-wp-special-pte-not-present=HOLDS uffd-wp-special-pte-has-uffd-wp-bit=HOLDS "
                    + "uffd-wp-special-pte-no-valid-swap-entry=HOLDS " + MARKER + "pte-marker-round-trip=HOLDS "
                    + "abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
            "arm64 => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=HOLDS "
                    + "swp-soft-dirty-bit=NOT_APPLICABLE pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + NO_SEED + MARKER + "pte-marker-round-trip=HOLDS abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
            "riscv64 => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=NOT_APPLICABLE "
                    + "swp-soft-dirty-bit=NOT_APPLICABLE pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + NO_SEED + NO_MARKER + "pte-marker-round-trip=HOLDS abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
            "s390x => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=NOT_APPLICABLE "
                    + "swp-soft-dirty-bit=HOLDS pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + NO_SEED + NO_MARKER + "pte-marker-round-trip=HOLDS abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
            "ppc64 => swap-entry-round-trip=HOLDS swap-pte-not-present-nor-none=HOLDS swp-exclusive-bit=HOLDS swp-uffd-wp-bit=NOT_APPLICABLE "
                    + "swp-soft-dirty-bit=HOLDS pte-ops-keep-special-and-pfn=HOLDS protnone-keeps-pfn=HOLDS "
                    + NO_SEED + NO_MARKER + "pte-marker-round-trip=HOLDS abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
    })
    void everyArchGivesItsExactVerdictsAtTheNewestRelease(String arch, String expected) {
        assertEquals(expected, statuses(run(bundled(arch))));
    }

    @Test
    void onlyX86HasACheckThatFailsOutsideTheKernelsBounds() {
        for (String arch : Layouts.ARCHES) {
            String outside = run(bundled(arch)).stream().filter(v -> !v.outsideBounds().isEmpty()).map(Verdict::check)
                    .collect(Collectors.joining(" "));
            assertEquals(arch.equals("x86_64") ? "swap-pte-not-present-nor-none uffd-wp-special-pte-no-valid-swap-entry" : "", outside, arch);
        }
    }

    @Test
    void onX86TheL1tfInvertedEncodingOfTheTopOffsetIsTheEmptyPteWhichNoSwapAreaReaches() {
        Verdict v = named(checks(bundled("x86_64")), "swap-pte-not-present-nor-none");
        assertEquals(Verdict.Status.HOLDS, v.status());
        assertEquals("type = 0x0, offset = 0x3ffffffffffff, pte = 0x0 [no bits set]", v.outsideBounds());
        assertEquals("proved for every swap-file entry the kernel can make (types 0..23, offsets 1..0xfffffffe); outside those "
                + "bounds it fails at type = 0x0, offset = 0x3ffffffffffff, pte = 0x0 [no bits set]: offset 0x3ffffffffffff, the "
                + "last page of a 4 EiB swap area, is one max_swapfile_size() (0x4000000000000) admits but no swap area reaches: "
                + "read_swap_header() caps a swap area at UINT_MAX pages", v.detail());
    }

    @Test
    void theSeedsFourRulesGetAVerdictEachOnX86() {
        List<Verdict> vs = checks(bundled("x86_64"));
        String pte = "pte = 0x4 [_PAGE_USER/_PAGE_SWP_UFFD_WP]";
        assertEquals("proved: " + pte, named(vs, "uffd-wp-special-pte-not-none").detail());
        assertEquals("proved: " + pte, named(vs, "uffd-wp-special-pte-not-present").detail());
        assertEquals("proved: " + pte, named(vs, "uffd-wp-special-pte-has-uffd-wp-bit").detail());
        // the seed's comment says this PTE has swp_type == swp_offset == 0; with the L1TF inversion the offset reads as all
        // ones: the top slot of a swap area no kernel sets up
        Verdict rule4 = named(vs, "uffd-wp-special-pte-no-valid-swap-entry");
        assertEquals(pte + ", its swap type = 0x0, its swap offset = 0x3ffffffffffff", rule4.outsideBounds());
        for (Verdict v : vs.subList(7, 11)) {
            assertEquals(true, v.sentence().contains("never merged; PTE markers replaced it in v5.19"), v.check());
            assertEquals(true, v.citation().startsWith("seed 002: [PATCH v3 04/27]"), v.check());
        }
    }

    @Test
    void theUffdWpMarkerIsTheMarkerTypeWithOffsetOneOnX86AndArm64() {
        List<Verdict> x86 = checks(bundled("x86_64"));
        // type 31 in bits 59-63, offset 1 inverted into bits 9-58 (bit 9 clear): every bit from 10 up
        assertEquals("proved: pte = 0xfffffffffffffc00, its swap type = 0x1f, its marker = 0x1",
                named(x86, "uffd-wp-marker-reads-as-uffd-wp").detail().replaceAll(" \\[[^]]*\\]", ""));
        assertEquals("proved: pte = 0xfffffffffffffc00, its swap type = 0x1f, SWP_PTE_MARKER = 0x1f, MAX_SWAPFILES = 0x18",
                named(x86, "uffd-wp-marker-no-valid-swap-entry").detail().replaceAll(" \\[[^]]*\\]", ""));
        List<Verdict> arm = checks(bundled("arm64"));
        // type 31 in bits 6-10, offset 1 at bit 12
        assertEquals("proved: pte = 0x17c0 [PTE_USER | PTE_RDONLY | bit 8 | bit 9 | PTE_AF | bit 12]",
                named(arm, "uffd-wp-marker-not-present").detail());
    }

    @Test
    void beforeV519ThereAreNoMarkersAndArm64HasUffdWpOnlyFromV610() {
        assertEquals("PTE markers arrived in v5.19 (679d10331918, 1db9dbc2ef05); this is v5.18",
                named(at("v5.18", bundled("x86_64")), "uffd-wp-marker-not-none").detail());
        assertEquals(Verdict.Status.NOT_APPLICABLE, named(at("v5.18", bundled("x86_64")), "pte-marker-round-trip").status());
        // the seed's special PTE is checked at any release: it was a proposal, never merged
        assertEquals(Verdict.Status.HOLDS, named(at("v5.18", bundled("x86_64")), "uffd-wp-special-pte-not-none").status());
        assertEquals(Verdict.Status.NOT_APPLICABLE, named(at("v5.6", bundled("x86_64")), "swp-uffd-wp-bit").status());
        List<Verdict> arm68 = at("v6.8", bundled("arm64"));
        assertEquals("arm64 has CONFIG_HAVE_ARCH_USERFAULTFD_WP only from v6.10; this is v6.8",
                named(arm68, "uffd-wp-marker-reads-as-uffd-wp").detail());
        assertEquals(Verdict.Status.NOT_APPLICABLE, named(arm68, "swp-uffd-wp-bit").status());
        // from v6.2 every arch has PTE markers (guard and poison markers need no uffd-wp)
        assertEquals(Verdict.Status.HOLDS, named(arm68, "pte-marker-round-trip").status());
        assertEquals(Verdict.Status.NOT_APPLICABLE, named(at("v6.1", bundled("riscv64")), "pte-marker-round-trip").status());
        assertEquals("each of the 11 abstract PTE states the model uses on arm64 has a 64-bit encoding",
                named(arm68, "abstract-states-realizable").sentence());
        assertEquals("each of the 18 abstract PTE states the model uses on arm64 has a 64-bit encoding",
                named(run(bundled("arm64")), "abstract-states-realizable").sentence());
    }

    @Test
    void v519sTypeNumberingGivesTheSameMarkerVerdicts() {
        // v5.19: four device types and SWP_SWAPIN_ERROR, so MAX_SWAPFILES 22 and SWP_PTE_MARKER 30; the mask is UFFD_WP only
        Layout x86 = bundled("x86_64").withConst("SWP_DEVICE_NUM", 4).withConst("MAX_SWAPFILES", 22).withConst("PTE_MARKER_MASK", 1);
        assertEquals(30, x86.value("SWP_PTE_MARKER"));
        List<Verdict> vs = at("v5.19", x86);
        assertEquals(MARKER + "pte-marker-round-trip=HOLDS abstract-states-realizable=HOLDS abstract-states-distinct=HOLDS",
                statuses(vs.subList(11, vs.size())));
    }

    // ---- teeth: each check fails on a layout broken on purpose ----

    @Test
    void movingX86sSwapUffdWpBitOntoAnOffsetBitIsCaught() {
        Layout x86 = bundled("x86_64");
        long offsetBit = 1L << x86.value("SWP_OFFSET_SHIFT") >>> x86.value("SWP_TYPE_BITS"); // lowest stored offset bit
        Verdict v = named(checks(x86.withConst("_PAGE_SWP_UFFD_WP", offsetBit)), "swp-uffd-wp-bit");
        assertEquals(Verdict.Status.VIOLATED, v.status());
    }

    @Test
    void movingArm64sSwapExclusiveBitOntoATypeBitIsCaught() {
        Layout arm = bundled("arm64");
        long typeBit = 1L << arm.value("__SWP_TYPE_SHIFT");
        Verdict v = named(checks(arm.withConst("PTE_SWP_EXCLUSIVE", typeBit)), "swp-exclusive-bit");
        assertEquals(Verdict.Status.VIOLATED, v.status());
    }

    @Test
    void aProtnoneBitOnAnOffsetBitMakesSwapPtesPresentWithinTheKernelsBounds() {
        Layout x86 = bundled("x86_64");
        Verdict v = named(checks(x86.withConst("_PAGE_PROTNONE", 1L << x86.value("SWP_OFFSET_FIRST_BIT"))), "swap-pte-not-present-nor-none");
        assertEquals(Verdict.Status.VIOLATED, v.status());
        assertEquals(true, v.detail().endsWith("(within the kernel's bounds: types 0..23, offsets 1..0xfffffffe)"), v.detail());
    }

    @Test
    void eachOfTheSeedsRulesFailsOnASpecialPteThatBreaksIt() {
        Layout x86 = bundled("x86_64");
        long uffd = x86.value("_PAGE_SWP_UFFD_WP");
        // (1) a pte_none() whose ignore mask (the Knights Landing A/D erratum mask) also covers the swap uffd-wp bit
        assertEquals("uffd-wp-special-pte-not-none=VIOLATED",
                seedRulesBroken(x86.withConst("_PAGE_KNL_ERRATUM_MASK", x86.value("_PAGE_KNL_ERRATUM_MASK") | uffd)));
        // (2) with the PROT_NONE bit it reads as present
        assertEquals("uffd-wp-special-pte-not-present=VIOLATED",
                seedRulesBroken(x86.withConst("UFFD_WP_SWP_PTE_SPECIAL", uffd | x86.value("_PAGE_PROTNONE"))));
        // (3) the swap soft-dirty bit instead of the swap uffd-wp bit
        assertEquals("uffd-wp-special-pte-has-uffd-wp-bit=VIOLATED",
                seedRulesBroken(x86.withConst("UFFD_WP_SWP_PTE_SPECIAL", x86.value("_PAGE_SWP_SOFT_DIRTY"))));
        // (4) the swap PTE of type 1, slot 1 with the uffd-wp bit: a real swap entry (Hugh's idea was type 1 with offset 0)
        long type1slot1 = ((~1L) << x86.value("SWP_OFFSET_SHIFT") >>> x86.value("SWP_TYPE_BITS")) | (1L << 59);
        assertEquals("uffd-wp-special-pte-no-valid-swap-entry=VIOLATED",
                seedRulesBroken(x86.withConst("UFFD_WP_SWP_PTE_SPECIAL", type1slot1 | uffd)));
    }

    private String seedRulesBroken(Layout l) {
        return statuses(checks(l).stream().filter(v -> v.check().startsWith("uffd-wp-special-pte") && v.status() != Verdict.Status.HOLDS).toList());
    }

    private String markerChecksBroken(Layout l) {
        return statuses(checks(l).stream().filter(v -> (v.check().startsWith("uffd-wp-marker") || v.check().equals("pte-marker-round-trip"))
                && v.status() != Verdict.Status.HOLDS).toList());
    }

    @Test
    void eachMarkerCheckFailsOnALayoutThatBreaksIt() {
        Layout x86 = bundled("x86_64");
        Layout arm = bundled("arm64");
        // a pte_none() that ignores every bit sees the marker as none (and so not as a swap PTE, nor a marker)
        assertEquals("uffd-wp-marker-not-none=VIOLATED uffd-wp-marker-reads-as-uffd-wp=VIOLATED pte-marker-round-trip=VIOLATED",
                markerChecksBroken(x86.withConst("_PAGE_KNL_ERRATUM_MASK", -1L)));
        // the PROT_NONE bit moved into the type field: the marker (type 31) reads as present
        assertEquals("uffd-wp-marker-not-present=VIOLATED uffd-wp-marker-reads-as-uffd-wp=VIOLATED pte-marker-round-trip=VIOLATED",
                markerChecksBroken(x86.withConst("_PAGE_PROTNONE", 1L << 59)));
        // a marker mask without UFFD_WP: pte_marker_get() drops the bit
        assertEquals("uffd-wp-marker-reads-as-uffd-wp=VIOLATED",
                markerChecksBroken(x86.withConst("PTE_MARKER_MASK", x86.value("PTE_MARKER_POISONED") | x86.value("PTE_MARKER_GUARD"))));
        // the marker type numbered onto a migration type: it still reads as a marker, but is also a migration entry
        assertEquals("uffd-wp-marker-no-valid-swap-entry=VIOLATED",
                markerChecksBroken(x86.withConst("SWP_PTE_MARKER", x86.value("SWP_MIGRATION_WRITE"))));
        // four type bits: type 31 truncates to 15, a swap file's
        assertEquals("uffd-wp-marker-reads-as-uffd-wp=VIOLATED uffd-wp-marker-no-valid-swap-entry=VIOLATED pte-marker-round-trip=VIOLATED",
                markerChecksBroken(arm.withConst("__SWP_TYPE_BITS", 4)));
        // the swap uffd-wp flag on the lowest offset bit: decoding clears it, and with it the marker's UFFD_WP bit
        assertEquals("uffd-wp-marker-reads-as-uffd-wp=VIOLATED pte-marker-round-trip=VIOLATED",
                markerChecksBroken(arm.withConst("PTE_SWP_UFFD_WP", 1L << arm.value("__SWP_OFFSET_SHIFT"))));
    }

    @Test
    void makingX86sSpecialBitASoftDirtyAliasMakesTwoAbstractStatesShareAnEncoding() {
        Layout x86 = bundled("x86_64");
        Layout broken = x86.withConst("_PAGE_SPECIAL", x86.value("_PAGE_SOFT_DIRTY"));
        Verdict v = named(new Realizability(ctx, broken, 20_000).all(), "abstract-states-realizable");
        assertEquals(Verdict.Status.VIOLATED, v.status());
    }

    @Test
    void aMarkerTypeThatIsASwapFilesMakesTheMarkerAndASwapStateShareAnEncoding() {
        Layout x86 = bundled("x86_64");
        Verdict v = named(new Realizability(ctx, x86.withConst("SWP_PTE_MARKER", 0), 20_000).all(), "abstract-states-distinct");
        assertEquals(Verdict.Status.VIOLATED, v.status());
        assertEquals(true, v.detail().contains("and uffd-wp marker share pte = "), v.detail());
    }

    @Test
    void aPresentUffdWpBitThatAliasesSoftDirtyLeavesAStateWithoutEncoding() {
        Layout x86 = bundled("x86_64");
        Verdict v = named(new Realizability(ctx, x86.withConst("_PAGE_UFFD_WP", x86.value("_PAGE_SOFT_DIRTY")), 20_000).all(),
                "abstract-states-realizable");
        assertEquals(Verdict.Status.VIOLATED, v.status());
        assertEquals(true, v.detail().startsWith("no PTE encodes: present RO soft-dirty;"), v.detail());
    }
}
