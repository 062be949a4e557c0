package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.SkeysZeropage;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;

/**
 * arch/s390/mm/gmap.c and arch/s390/include/asm/pgtable.h: storage keys and mm_forbids_zeropage().
 * Abstracts away: KVM itself (the operation is the guest enabling storage keys), PGSTEs, and the v4.14-v6.9 rule that
 * any KVM process (has_pgste) forbids the zeropage even without storage keys.
 */
final class S390 {
    private S390() {
    }

    /**
     * s390_enable_skey(): from now on mm_forbids_zeropage() holds for this mm, so faults, KSM and UFFDIO_ZEROPAGE
     * allocate zeroed pages instead. The zeropages it maps already are zapped (before v6.10) or, from v6.10
     * (s390_disable_cow_sharing(), 06201e00ee3e), replaced through FAULT_FLAG_UNSHARE in COW mappings. Returns false
     * on an arch without storage keys.
     */
    static boolean enableSkeys(Kernel k, Pid p) {
        if (!k.profile.hasStorageKeys()) {
            k.call("no storage keys on this arch (only s390x has them): -EINVAL");
            return false;
        }
        k.call("s390_enable_skey: mm_forbids_zeropage() from now on");
        k.setForbidsZeropage(p);
        for (int i = 0; i < k.pageCount(); i++) {
            Vaddr a = new Vaddr(i);
            if (!(k.pte(p, a) instanceof Pte.Present pr) || !pr.folio().isZero()) continue;
            if (k.profile.skeysZeropage() == SkeysZeropage.ZAP) {
                if (k.trace) k.call("zap the zeropage at " + a);
                Memory.zapPte(k, p, a);
            } else if (k.vma(p, a).isCow()) {
                if (k.trace) k.call("__s390_unshare_zeropages: FAULT_FLAG_UNSHARE at " + a);
                Memory.handleFault(k, p, a, Memory.Fault.UNSHARE);
            }
        }
        return true;
    }
}
