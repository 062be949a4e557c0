package dev.mmcheck.model.state;

/** The FOLL_* flags of a GUP request (include/linux/mm_types.h / mm.h) that the model distinguishes. */
public enum GupFlag {
    /** FOLL_PIN (pin_user_pages*); without it the reference is FOLL_GET (get_user_pages*). */
    PIN,
    /** FOLL_WRITE: the caller will write through the reference (a R/W pin, O_DIRECT read into the page). */
    WRITE,
    /** FOLL_LONGTERM: io_uring fixed buffers, RDMA, vfio. */
    LONGTERM,
    /** The request went through GUP-fast (get/pin_user_pages_fast). The model runs it atomically like the slow path. */
    FAST;

    public int bit() {
        return 1 << ordinal();
    }
}
