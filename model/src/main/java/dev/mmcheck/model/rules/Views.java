package dev.mmcheck.model.rules;

import dev.mmcheck.model.plugin.PageView;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;

/** The read-only {@link PageView} a rule plugin gets: values read now, so nothing of the state escapes. */
final class Views {
    private Views() {
    }

    private record View(boolean anon, boolean ksm, boolean anonExclusive, boolean large, boolean mappedByOtherMm,
                        boolean swapcache, int refcount, int mapcount, boolean maybeDmaPinned, boolean mmHasPinned,
                        boolean pteDirty) implements PageView {
    }

    /** The page {@code f} as process {@code p} sees it through a PTE with the given dirty bit. */
    static PageView page(Kernel k, Pid p, FolioId f, boolean pteDirty) {
        if (f.isAnyZero()) {
            return new View(false, false, false, false, false, false, 1, 0, false, k.process(p).hasPinned(), pteDirty);
        }
        boolean anon = k.folio(f).isAnon();
        return new View(anon, k.has(f, FolioFlag.KSM), k.profile.tracksAnonExclusive() && k.has(f, FolioFlag.ANON_EXCLUSIVE),
                k.large(f), Memory.mappedByOther(k, f, p), k.has(f, FolioFlag.SWAPCACHE), k.refcount(f), k.folio(f).mapcount(),
                k.maybePinned(f), k.process(p).hasPinned(), pteDirty);
    }
}
