/*
 * The fixed parts of the C reproducers mmcheck writes (lib/repro/Reproducer.java). A section runs from its
 * marker line to the next; the generator copies the sections a program needs, in this order, with the
 * marker lines and this comment left out. Indentation is kernel style (tabs).
 */
/*@ core */
#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

#define HARNESS (-1)		/* a step the harness runs itself: ksmd, or waiting for an exit */
#define NONE (-1)		/* no value: the model's reading of a page with no PTE, or of no reference */
#define PAGES_AT 0x1000000000UL	/* page A, in a 64-bit address space far from where mmap(NULL) and the stack put things */
#define ANSWER_TIMEOUT_MS 60000

/* What a step's call did. */
enum status { FAILED, DONE, SKIPPED };

/* What the model says the call does: the program follows the trace only while the kernel agrees. */
enum expect { EXPECT_FAILED, EXPECT_DONE, EXPECT_ANY };

struct step {
	int proc;		/* who runs it: 0 for P0, 1 for P1, ..., or HARNESS */
	enum expect expect;
	int spawns;		/* the slot a fork() step fills, or -1 */
	int reaps;		/* the slot whose exit the step waits for, or -1 */
	const char *text;
};

/* A process's answer to the harness: one write() shorter than PIPE_BUF, so it arrives whole. */
struct reply {
	int step;
	enum status status;
	int err;		/* errno of a failed or skipped call, else 0 */
	int value;		/* what a check read, the pid a fork() made, or NONE */
	char why[160];		/* why the call failed or was skipped, when errno does not say */
};
/*@ globals */
static size_t pagesize;
static int self;		/* this process's slot: 0 for P0, 1 for P1, ... */
static int go[NPROC][2];	/* the harness writes the number of Pn's next step into go[n][1] */
static int answer[2];		/* every process answers into answer[1] */
static pid_t pid[NPROC];	/* in the harness: each slot's process, 0 when it has none */
static int leaving;		/* set by an exit() step */
static sigjmp_buf fault;

static void serve(void) __attribute__((noreturn));

/* kselftest's TAP output; every process writes unbuffered to the same stdout. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
}

/* Page i (A, B, ...): a VMA of its own with a hole on each side, at the same address in every process. */
static char *page(int i)
{
	return (char *)(PAGES_AT + (2UL * i + 1) * pagesize);
}

/* A load or store the model says faults (SIGSEGV, SIGBUS) returns to its sigsetjmp() as FAILED. */
static void on_fault(int sig)
{
	siglongjmp(fault, sig);
}
/*@ status */
/* A system call's result: DONE, or FAILED with its errno. */
static enum status status_of(struct reply *r, long ret)
{
	if (ret != -1)
		return DONE;
	r->err = errno;
	return FAILED;
}
/*@ skipped */
/* The kernel lacks something the step needs: the program cannot follow the trace. */
static enum status skipped(struct reply *r, int err, const char *why)
{
	r->err = err;
	snprintf(r->why, sizeof(r->why), "%s", why);
	return SKIPPED;
}
/*@ store */
/* The model's store: the value into every byte of the page, as cow.c's memset(mem, 0xff, size). */
static enum status store(int i, int value)
{
	if (sigsetjmp(fault, 1))
		return FAILED;
	memset(page(i), value, pagesize);
	return DONE;
}
/*@ load */
/* A load from the page: a read fault if its PTE is not present. */
static enum status load(int i, int *value)
{
	if (sigsetjmp(fault, 1))
		return FAILED;
	*value = *(volatile unsigned char *)page(i);
	return DONE;
}
/*@ mapped */
/*
 * mmap() without MAP_FIXED, which would replace whatever is there: the kernel takes the address as a hint,
 * and a page whose address is in use fails the step (the model's mmap of a mapped page fails too).
 */
static enum status mapped(struct reply *r, int i, char *p)
{
	if (p == MAP_FAILED)
		return status_of(r, -1);
	if (p != page(i)) {
		munmap(p, pagesize);
		snprintf(r->why, sizeof(r->why), "the address of page %c is in use", 'A' + i);
		return FAILED;
	}
	return DONE;
}
/*@ map-anon */
static enum status map_anon(struct reply *r, int i, int prot)
{
	return mapped(r, i, mmap(page(i), pagesize, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}
/*@ map-file */
static int file_fd = -1;	/* the model's one page-cache file: a memfd (shmem), page i at offset i, as cow.c's run_with_memfd() */

static enum status map_file(struct reply *r, int i, int prot, int flags)
{
	return mapped(r, i, mmap(page(i), pagesize, prot, flags, file_fd, (off_t)i * pagesize));
}
/*@ pagemap */
#define PM_PRESENT (1ULL << 63)
#define PM_SWAPPED (1ULL << 62)
#define PM_PFN ((1ULL << 55) - 1)

/* Page i's entry in /proc/PID/pagemap (Documentation/admin-guide/mm/pagemap.rst; the PFN needs root); 0 if unreadable. */
static uint64_t pagemap(pid_t who, int i)
{
	char path[64];
	uint64_t e = 0;
	int fd;

	if (who)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)who);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	if (pread(fd, &e, sizeof(e), (off_t)((uintptr_t)page(i) / pagesize * sizeof(e))) != sizeof(e))
		e = 0;
	close(fd);
	return e;
}
/*@ observe-page */
/* What a load by this process from page i returns; NONE where the model reads no value (no PTE). */
static int observe_page(int i)
{
	int value;

	if (!(pagemap(0, i) & (PM_PRESENT | PM_SWAPPED)))
		return NONE;
	return load(i, &value) == DONE ? value : NONE;
}
/*@ swap */
/* /proc/swaps lists a swap device or file. */
static int swap_enabled(void)
{
	char line[256];
	int lines = 0;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	return lines > 1;
}
/*@ pageout */
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/*
 * Reclaim of page i now: MADV_PAGEOUT (v5.4+) -> reclaim_pages() -> shrink_folio_list(), what kswapd runs,
 * for a folio mapped once. The model says whether the page ends up swapped out; the pagemap says whether it
 * did (cow.c: "MADV_PAGEOUT did not work, is swap enabled?").
 */
static enum status pageout(struct reply *r, int i, int swapped)
{
	if (madvise(page(i), pagesize, MADV_PAGEOUT))
		return errno == EINVAL ? skipped(r, errno, "MADV_PAGEOUT is not supported (v5.4+)") : status_of(r, -1);
	if (!!(pagemap(0, i) & PM_SWAPPED) == swapped)
		return DONE;
	if (swapped)
		return skipped(r, 0, "MADV_PAGEOUT did not swap the page out");
	snprintf(r->why, sizeof(r->why), "the kernel swapped out a page the model keeps");
	return FAILED;
}
/*@ clear-refs */
/* echo 4 > /proc/self/clear_refs: clear_refs_write(CLEAR_REFS_SOFT_DIRTY), as cow.c's clear_softdirty(). */
static enum status clear_soft_dirty(struct reply *r)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return status_of(r, -1);
	n = write(fd, "4", 1);
	close(fd);
	return status_of(r, n == 1 ? 0 : -1);
}
/*@ refs */
/* How this process holds each GUP reference of the trace (only the reference's owner ever holds it). */
enum ref_kind { NO_REF, PIPE_REF, RING_REF, GUP_REF };
static enum ref_kind ref_kind[NREF];
static unsigned char *scratch;	/* a page to read a reference's content into */
/*@ pipe-ref */
static int ref_pipe[NREF][2];

/*
 * vmsplice() of page i into a new pipe: iov_iter_get_pages() takes a FOLL_GET reference without
 * FOLL_WRITE (with get_user_pages_fast()), which the pipe holds until it is read or closed (cow.c:
 * child_vmsplice_memcmp_fn()).
 */
static enum status pipe_ref(struct reply *r, int n, int i)
{
	struct iovec iov = { .iov_base = page(i), .iov_len = pagesize };
	ssize_t got;

	if (pipe(ref_pipe[n]) < 0)
		return status_of(r, -1);
	got = vmsplice(ref_pipe[n][1], &iov, 1, 0);
	if (got != (ssize_t)pagesize) {
		r->err = got < 0 ? errno : 0;
		close(ref_pipe[n][0]);
		close(ref_pipe[n][1]);
		return FAILED;
	}
	ref_kind[n] = PIPE_REF;
	return DONE;
}

/* Closing the pipe frees its buffer: put_page() of the reference. */
static void pipe_close(int n)
{
	close(ref_pipe[n][0]);
	close(ref_pipe[n][1]);
}
/*@ pipe-read */
/* Reading the pipe reads the page its reference holds (cow.c reads it back the same way). */
static int pipe_read(int n)
{
	size_t total = 0;
	ssize_t got;

	while (total < pagesize) {
		got = read(ref_pipe[n][0], scratch + total, pagesize - total);
		if (got <= 0)
			return NONE;
		total += got;
	}
	return scratch[0];
}
/*@ ring-ref */
/*
 * io_uring by raw system calls (no liburing), with as much of include/uapi/linux/io_uring.h as the
 * program uses: one ring per reference, whose fixed buffer is the page. IORING_REGISTER_BUFFERS pins it
 * with FOLL_WRITE|FOLL_PIN|FOLL_LONGTERM (cow.c: do_test_iouring()).
 */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register 427
#endif
#define URING_OFF_SQ_RING 0ULL
#define URING_OFF_CQ_RING 0x8000000ULL
#define URING_OFF_SQES 0x10000000ULL
#define URING_OP_READ_FIXED 4
#define URING_OP_WRITE_FIXED 5
#define URING_ENTER_GETEVENTS 1U
#define URING_REGISTER_BUFFERS 0
#define URING_UNREGISTER_BUFFERS 1

struct uring_sqring_offsets {
	uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array, resv1;
	uint64_t resv2;
};

struct uring_cqring_offsets {
	uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1;
	uint64_t resv2;
};

struct uring_params {
	uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3];
	struct uring_sqring_offsets sq_off;
	struct uring_cqring_offsets cq_off;
};

struct uring_sqe {
	uint8_t opcode, flags;
	uint16_t ioprio;
	int32_t fd;
	uint64_t off, addr;
	uint32_t len, rw_flags;
	uint64_t user_data;
	uint16_t buf_index, personality;
	int32_t splice_fd_in;
	uint64_t pad[2];
};

struct uring_cqe {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
};

struct ring {
	int fd;
	int page;		/* the page registered as fixed buffer 0 */
	size_t sq_len, cq_len, sqes_len;
	char *sq, *cq;
	struct uring_sqe *sqes;
	struct uring_cqe *cqes;
	uint32_t *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
};

static struct ring ring[NREF];

static void ring_unmap(struct ring *q)
{
	munmap(q->sq, q->sq_len);
	munmap(q->cq, q->cq_len);
	munmap(q->sqes, q->sqes_len);
	close(q->fd);
}

static enum status ring_open(struct reply *r, struct ring *q)
{
	struct uring_params p;

	memset(&p, 0, sizeof(p));
	q->fd = syscall(__NR_io_uring_setup, 1, &p);
	if (q->fd < 0)
		return skipped(r, errno, "io_uring_setup() failed (io_uring is v5.1+; kernel.io_uring_disabled)");
	q->sq_len = p.sq_off.array + p.sq_entries * sizeof(uint32_t);
	q->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct uring_cqe);
	q->sqes_len = p.sq_entries * sizeof(struct uring_sqe);
	q->sq = mmap(NULL, q->sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, q->fd, URING_OFF_SQ_RING);
	q->cq = mmap(NULL, q->cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, q->fd, URING_OFF_CQ_RING);
	q->sqes = mmap(NULL, q->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, q->fd, URING_OFF_SQES);
	if (q->sq == MAP_FAILED || q->cq == MAP_FAILED || (void *)q->sqes == MAP_FAILED)
		return skipped(r, errno, "mmap() of the io_uring rings failed");
	q->sq_tail = (uint32_t *)(q->sq + p.sq_off.tail);
	q->sq_mask = (uint32_t *)(q->sq + p.sq_off.ring_mask);
	q->sq_array = (uint32_t *)(q->sq + p.sq_off.array);
	q->cq_head = (uint32_t *)(q->cq + p.cq_off.head);
	q->cq_tail = (uint32_t *)(q->cq + p.cq_off.tail);
	q->cq_mask = (uint32_t *)(q->cq + p.cq_off.ring_mask);
	q->cqes = (struct uring_cqe *)(q->cq + p.cq_off.cqes);
	return DONE;
}

/* One request on the fixed buffer, waited for: its result (bytes, or -errno). */
static int ring_io(struct ring *q, int opcode, int fd)
{
	uint32_t tail = *q->sq_tail, idx = tail & *q->sq_mask, head;
	struct uring_sqe *e = &q->sqes[idx];
	int res;

	memset(e, 0, sizeof(*e));
	e->opcode = opcode;
	e->fd = fd;
	e->addr = (uintptr_t)page(q->page);
	e->len = pagesize;
	q->sq_array[idx] = idx;
	__atomic_store_n(q->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, q->fd, 1, 1, URING_ENTER_GETEVENTS, NULL, 0) < 0)
		return -errno;
	head = *q->cq_head;
	if (head == __atomic_load_n(q->cq_tail, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	res = q->cqes[head & *q->cq_mask].res;
	__atomic_store_n(q->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static enum status ring_ref(struct reply *r, int n, int i)
{
	struct iovec iov = { .iov_base = page(i), .iov_len = pagesize };
	enum status st = ring_open(r, &ring[n]);

	if (st != DONE)
		return st;
	ring[n].page = i;
	if (syscall(__NR_io_uring_register, ring[n].fd, URING_REGISTER_BUFFERS, &iov, 1)) {
		st = errno == EFAULT ? status_of(r, -1) : skipped(r, errno, "IORING_REGISTER_BUFFERS failed");
		ring_unmap(&ring[n]);
		return st;
	}
	ref_kind[n] = RING_REF;
	return DONE;
}

/* IORING_UNREGISTER_BUFFERS unpins at once; closing the ring alone would unpin later, from a workqueue. */
static void ring_close(int n)
{
	syscall(__NR_io_uring_register, ring[n].fd, URING_UNREGISTER_BUFFERS, NULL, 0);
	ring_unmap(&ring[n]);
}
/*@ ring-read */
/* What the pinned page holds: IORING_OP_WRITE_FIXED copies the fixed buffer into a file (cow.c's check). */
static int ring_read(int n)
{
	int fd = memfd_create("mmcheck-ring-read", 0), res, value = NONE;

	if (fd < 0)
		return NONE;
	res = ring_io(&ring[n], URING_OP_WRITE_FIXED, fd);
	if (res == (int)pagesize && pread(fd, scratch, pagesize, 0) == (ssize_t)pagesize)
		value = scratch[0];
	else
		say("# IORING_OP_WRITE_FIXED from the pinned page failed: %s\n", strerror(res < 0 ? -res : EIO));
	close(fd);
	return value;
}
/*@ ring-dma */
/* A device writes through the pin: IORING_OP_READ_FIXED reads a page of the value from a file into the fixed buffer. */
static enum status ring_dma(struct reply *r, int n, int value)
{
	int fd = memfd_create("mmcheck-ring-write", 0), res;

	if (fd < 0)
		return status_of(r, -1);
	memset(scratch, value, pagesize);
	if (pwrite(fd, scratch, pagesize, 0) != (ssize_t)pagesize) {
		close(fd);
		return status_of(r, -1);
	}
	res = ring_io(&ring[n], URING_OP_READ_FIXED, fd);
	close(fd);
	if (res == (int)pagesize)
		return DONE;
	r->err = res < 0 ? -res : EIO;
	return FAILED;
}
/*@ gup-ref */
/*
 * mm/gup_test.h (CONFIG_GUP_TEST, /sys/kernel/debug/gup_test, root; PIN_LONGTERM_TEST_* since
 * c77369b437f9): pin_user_pages(FOLL_LONGTERM) without FOLL_WRITE, or pin_user_pages_fast(), held in the
 * kernel until PIN_LONGTERM_TEST_STOP; one range at a time (cow.c: do_test_ro_pin()).
 */
struct pin_longterm_test {
	uint64_t addr;
	uint64_t size;
	uint32_t flags;
};

#define PIN_LONGTERM_TEST_START _IOW('g', 7, struct pin_longterm_test)
#define PIN_LONGTERM_TEST_STOP _IO('g', 8)
#define PIN_LONGTERM_TEST_READ _IOW('g', 9, uint64_t)
#define PIN_LONGTERM_TEST_FLAG_USE_FAST 2

static int gup_fd = -1;		/* opened once by the harness and shared: closing it would end the pin */

static enum status gup_ref(struct reply *r, int n, int i, int fast)
{
	struct pin_longterm_test args = {
		.addr = (uintptr_t)page(i),
		.size = pagesize,
		.flags = fast ? PIN_LONGTERM_TEST_FLAG_USE_FAST : 0,
	};

	if (ioctl(gup_fd, PIN_LONGTERM_TEST_START, &args)) {
		if (errno == EINVAL)
			return skipped(r, errno, "PIN_LONGTERM_TEST_START failed");
		return status_of(r, -1);
	}
	ref_kind[n] = GUP_REF;
	return DONE;
}

static void gup_stop(void)
{
	ioctl(gup_fd, PIN_LONGTERM_TEST_STOP);
}
/*@ gup-read */
/* PIN_LONGTERM_TEST_READ copies the pinned page. */
static int gup_read(void)
{
	uint64_t to = (uintptr_t)scratch;

	if (ioctl(gup_fd, PIN_LONGTERM_TEST_READ, &to)) {
		say("# PIN_LONGTERM_TEST_READ failed: %s\n", strerror(errno));
		return NONE;
	}
	return scratch[0];
}
/*@ spawn */
static pid_t child[NPROC];	/* in each process: the children it forked, by slot */

/* fork(): the child takes slot n and serves its own steps; it holds none of its parent's GUP references. */
static enum status spawn(struct reply *r, int n)
{
	pid_t c = fork();

	if (c < 0)
		return status_of(r, -1);
	if (c == 0) {
		self = n;
		forget_refs();
		serve();
	}
	child[n] = c;
	r->value = c;
	return DONE;
}
/*@ reap */
/* Waits until a process has exited, so its exit_mmap() is over before the next step. */
static enum status reap(struct reply *r, pid_t who)
{
	int wstatus;

	while (waitpid(who, &wstatus, 0) < 0) {
		if (errno != EINTR)
			return status_of(r, -1);
	}
	return DONE;
}
/*@ ksm */
/*
 * ksmd, through /sys/kernel/mm/ksm (CONFIG_KSM, root): stopped (run = 0) from the start, so that it merges
 * only where the trace says; a merge step runs it until two full scans have passed, as
 * ksm_functional_tests.c's ksm_merge() waits, and stops it again. use_zero_pages = 0 keeps zero-filled
 * pages out of the zeropage path the model calls ksm-zero.
 */
static long ksm_saved_run = -1, ksm_saved_zero = -1;

static long ksm_get(const char *knob)
{
	char path[96], buf[32];
	long v = -1;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", knob);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		v = strtol(buf, NULL, 10);
	}
	close(fd);
	return v;
}

static int ksm_set(const char *knob, long v)
{
	char path[96], buf[32];
	int fd, len, ok;

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", knob);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%ld", v);
	ok = write(fd, buf, len) == len;
	close(fd);
	return ok ? 0 : -1;
}

/* The pages are merged when both map the same page frame (PFNs in the pagemap need root). */
static enum status ksm_merge(struct reply *r, int p, int i, int q, int j)
{
	long scans = ksm_get("full_scans");
	uint64_t a, b;

	if (scans < 0 || ksm_set("run", 1))
		return skipped(r, errno, "cannot start ksmd");
	for (int waited = 0; ksm_get("full_scans") < scans + 2 && waited < 1200; waited++)
		usleep(50000);
	ksm_set("run", 0);
	a = pagemap(pid[p], i);
	b = pagemap(pid[q], j);
	if ((a & PM_PRESENT) && (b & PM_PRESENT) && (a & PM_PFN) && (a & PM_PFN) == (b & PM_PFN))
		return DONE;
	return skipped(r, 0, "ksmd did not merge the two pages within two full scans");
}

static int ksm_stop(void)
{
	ksm_saved_run = ksm_get("run");
	if (ksm_saved_run < 0 || ksm_set("run", 0))
		return -1;
	ksm_saved_zero = ksm_get("use_zero_pages");
	if (ksm_saved_zero > 0)
		ksm_set("use_zero_pages", 0);
	return 0;
}

static void ksm_restore(void)
{
	if (ksm_saved_zero > 0)
		ksm_set("use_zero_pages", ksm_saved_zero);
	if (ksm_saved_run >= 0)
		ksm_set("run", ksm_saved_run);
}
/*@ serve */
/* A process of the trace: runs the steps the harness sends it, one at a time, and answers each. */
static void serve(void)
{
	struct reply r;
	int s;

	for (;;) {
		if (read(go[self][0], &s, sizeof(s)) != sizeof(s)) {
			/* the harness is done */
			release_refs();
			_exit(0);
		}
		memset(&r, 0, sizeof(r));
		r.step = s;
		r.status = DONE;
		r.value = NONE;
		run_step(s, &r);
		if (leaving)
			release_refs();
		if (write(answer[1], &r, sizeof(r)) != sizeof(r))
			_exit(KSFT_FAIL);
		if (leaving)
			_exit(0);
	}
}

/* P0, the first process of the trace, forked by the harness. */
static void start(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	close(answer[0]);
	for (int n = 0; n < NPROC; n++)
		close(go[n][1]);
	self = 0;
	serve();
}
/*@ harness */
/* Ends the program: every process is told to finish (closing its pipe) and waited for. */
static void finish(int code)
{
	for (int n = 0; n < NPROC; n++)
		close(go[n][1]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	cleanup();
	exit(code);
}

static void __attribute__((format(printf, 1, 2))) bail(const char *fmt, ...)
{
	va_list ap;

	say("Bail out! ");
	va_start(ap, fmt);
	vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
	say("\n");
	for (int n = 0; n < NPROC; n++) {
		if (pid[n] > 0)
			kill(pid[n], SIGKILL);
	}
	finish(KSFT_FAIL);
}

/* Runs step s where the trace runs it; stops the program where the kernel does not follow the trace. */
static void run(int s, struct reply *r)
{
	const struct step *t = &steps[s];
	struct pollfd pfd = { .fd = answer[0], .events = POLLIN };
	const char *did;

	memset(r, 0, sizeof(*r));
	r->step = s;
	r->status = DONE;
	r->value = NONE;
	if (t->proc == HARNESS) {
		harness_step(s, r);
	} else {
		if (write(go[t->proc][1], &s, sizeof(s)) != sizeof(s))
			bail("%s: P%d is gone", t->text, t->proc);
		if (poll(&pfd, 1, ANSWER_TIMEOUT_MS) != 1)
			bail("%s: P%d did not answer", t->text, t->proc);
		if (read(answer[0], r, sizeof(*r)) != sizeof(*r) || r->step != s)
			bail("%s: no answer from P%d", t->text, t->proc);
	}
	if (r->status == SKIPPED) {
		say("# %s: %s%s%s\n", t->text, r->why, r->err ? ": " : "", r->err ? strerror(r->err) : "");
		say("ok 1 # SKIP %s\n", r->why);
		finish(KSFT_SKIP);
	}
	did = r->status == DONE ? "done" : "failed";
	say("# %s: %s%s%s%s%s\n", t->text, did, r->why[0] ? ": " : "", r->why, r->err ? ": " : "",
		r->err ? strerror(r->err) : "");
	if (t->spawns >= 0 && r->status == DONE)
		pid[t->spawns] = r->value;
	if (t->reaps >= 0 && r->status == DONE)
		pid[t->reaps] = 0;
	if (t->expect != EXPECT_ANY && r->status != (t->expect == EXPECT_DONE ? DONE : FAILED)) {
		say("ok 1 # SKIP the kernel departs from the trace: the call %s where the model's %s\n", did,
			t->expect == EXPECT_DONE ? "completes" : "fails");
		finish(KSFT_SKIP);
	}
}
/*@ show */
static void show(const char *what, int value)
{
	if (value == NONE)
		say("# %s: no value\n", what);
	else
		say("# %s = 0x%02x\n", what, value);
}
