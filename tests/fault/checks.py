"""What a run of scrub must leave behind, whatever call failed (SPEC section 1)."""
import errno
import os
import stat
from dataclasses import dataclass

import scenes

SANITIZER_MARKS = ("Sanitizer", "runtime error:", "LeakSanitizer")
# A call whose failure may never end in exit 0: the data would not be durable.
NEVER_SWALLOWED = ("fdatasync", "fsync", "syncfs")


@dataclass
class Outcome:
    code: object      # exit status, negative for a signal, None for a timeout
    stdout: bytes
    stderr: str
    log: list         # the shim's lines
    before: dict      # entry path -> lstat before the run
    start_ns: int

    @property
    def fault(self):
        """("fault", seq, symbol, errno-or-"short", fd, access, subject) or None."""
        for line in self.log:
            if line.startswith("fault "):
                return tuple(line.split(" ", 6))
        return None

    def error_lines(self):
        return [l for l in self.stderr.splitlines()
                if l.startswith("scrub: ") and not l.startswith("scrub: warning: ")]

    def warned(self, name, word):
        return any(l.startswith("scrub: warning: ") and "'%s'" % name in l and word in l
                   for l in self.stderr.splitlines())

    def names(self, name):
        return "'%s'" % name in self.stderr


def check_process(out):
    if out.code is None:
        return ["scrub hung"]
    problems = []
    if any(m in out.stderr for m in SANITIZER_MARKS):
        problems.append("sanitizer report")
    if out.code not in (0, 2):
        problems.append("exit status %s (want 0 or 2)" % out.code)
    return problems


def check_attrs(mode, entry, st, out, what):
    """A replaced file (or -o copy): the original's mode and owner; times as promised."""
    orig = out.before[entry.path]
    problems = []
    if stat.S_IMODE(st.st_mode) != stat.S_IMODE(orig.st_mode):
        problems.append("%s has mode %o, the original %o" % (
            what, stat.S_IMODE(st.st_mode), stat.S_IMODE(orig.st_mode)))
    if (st.st_uid, st.st_gid) != (orig.st_uid, orig.st_gid) and not out.warned(entry.shown, "owner"):
        problems.append("%s is owned by %d:%d, the original by %d:%d, and no warning says so" % (
            what, st.st_uid, st.st_gid, orig.st_uid, orig.st_gid))
    if mode.preserve_times:
        if (st.st_atime_ns, st.st_mtime_ns) != (orig.st_atime_ns, orig.st_mtime_ns):
            problems.append("%s: times not kept under -p" % what)
    elif st.st_mtime_ns == orig.st_mtime_ns or st.st_mtime_ns < out.start_ns - 2_000_000_000:
        problems.append("%s: modification time is not that of the scrub" % what)
    return problems


def check_entry(mode, root, entry, out, fx):
    """Problems with one input, and whether it ended as its clean output."""
    path = os.path.join(root, entry.path)
    if not os.path.lexists(path):
        return ["'%s' is gone" % entry.path], False
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        return ["'%s' is no longer a regular file" % entry.path], False
    data = open(path, "rb").read()
    orig_data = fx.orig[entry.fixture]
    want = fx.clean[entry.fixture]
    if data == orig_data:
        ok = scenes.same_file(st, out.before[entry.path])
        done = (want is None or want == orig_data or not mode.in_place or entry.refused or
                entry.bystander)
        return ([] if ok else ["'%s' has its bytes but not its inode, times, mode or owner" % entry.path],
                done)
    if mode.in_place and want is not None and data == want and not (entry.refused or entry.bystander):
        return check_attrs(mode, entry, st, out, "'%s'" % entry.path), True
    return ["'%s' is neither its original nor its clean output (%d bytes)" % (entry.path, len(data))], False


def check_links(mode, root):
    problems = []
    for link, target in mode.links.items():
        path = os.path.join(root, link)
        if not os.path.islink(path) or os.readlink(path) != target:
            problems.append("symbolic link '%s' was replaced" % link)
    return problems


def check_copies(mode, root, out, fx):
    """-o copies (absent or clean) and -c output (complete when exit 0)."""
    problems, missing = [], []
    for e in mode.entries:
        if not mode.copied(e):
            continue
        path = os.path.join(root, mode.output_path(e))
        if not os.path.lexists(path):
            missing.append(e)
            continue
        if open(path, "rb").read() != fx.clean[e.fixture]:
            problems.append("copy '%s' is not the clean output" % mode.output_path(e))
        else:
            problems += check_attrs(mode, e, os.lstat(path), out, "copy '%s'" % mode.output_path(e))
    if mode.to_stdout and out.code == 0 and out.stdout != fx.clean[mode.entries[0].fixture]:
        problems.append("exit 0 but standard output is not the clean image")
        missing.append(mode.entries[0])
    return problems, missing


def check_unexpected(mode, root):
    """Files no one asked for: scrub writes only its outputs (temps are counted apart)."""
    known = {e.path for e in mode.entries} | set(mode.links)
    known |= {mode.output_path(e) for e in mode.entries if mode.copied(e)}
    return ["unexpected file '%s'" % f for f in scenes.files_under(root)
            if f not in known and ".scrub-tmp-" not in f]


def subject_names(mode, root, subject):
    """Names scrub may give the file or directory a faulted call acted on."""
    rel = os.path.relpath(subject, root) if os.path.isabs(subject) else os.path.normpath(subject)
    base = os.path.basename(rel)
    if ".scrub-tmp-" in base:  # ".NAME.scrub-tmp-PID-N" stands for NAME
        rel = os.path.join(os.path.dirname(rel), base[1:base.index(".scrub-tmp-")])
    names = {rel} if rel in mode.links else set()
    below = rel.rstrip("/") + "/" if rel not in (".", "") else None
    for e in mode.entries:
        touched = [e.path, e.shown] + ([mode.output_path(e)] if mode.copied(e) else [])
        if rel in touched:
            names.add(e.shown)
        elif below and any(t.startswith(below) for t in touched):
            names.update((rel, e.shown))  # a directory on the way to the file
    return names


def ancestors(path):
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def check_told(mode, root, out, told, left):
    """A fault that made scrub report something: exit 2, the injected error and the
    file's name in the new messages, and no file left dirty without its name."""
    problems = [] if out.code == 2 else ["exit %s after an error message (want 2)" % out.code]
    text = "\n".join(told)
    f = out.fault
    if f and f[3] != "short":
        reason = os.strerror(getattr(errno, f[3]))
        if reason not in text:
            problems.append("the message does not give the error (%s)" % reason)
        names = subject_names(mode, root, f[6]) or {e.shown for e in mode.entries}
        if not any("'%s'" % n in text for n in names):
            problems.append("the message names none of %s" % sorted(names))
    else:
        problems.append("an error message though no call failed")
    for e in left:
        names = [e.shown] + ancestors(e.shown)
        if mode.copied(e):  # a copy not made: its folder may be what failed
            names += ancestors(mode.output_path(e))
        if not any("'%s'" % n in text for n in names):
            problems.append("'%s' left with its metadata and not named on stderr" % e.shown)
    return problems


def check_absorbed(mode, out, left):
    """A fault scrub said nothing about: the run must end as the unfaulted one did."""
    problems = ["'%s' was not cleaned and no message says why" % e.shown for e in left]
    if out.code != mode.baseline_code:
        problems.append("exit %s without a message (the unfaulted run exits %s)" % (
            out.code, mode.baseline_code))
    f = out.fault
    if f and f[3] != "short" and f[2] in NEVER_SWALLOWED:
        problems.append("%s failed and scrub said nothing" % f[2])
    if f and f[3] != "short" and f[2] == "close" and "w" in f[5] and ".scrub-tmp-" in f[6]:
        problems.append("closing the written temporary file failed and scrub said nothing")
    return problems


def check_run(mode, root, out, fx):
    """Every broken promise of one run; fx: the fixtures' original and clean bytes."""
    problems = check_process(out)
    problems += ["temporary file left: %s" % t for t in scenes.temps_left(root)]
    left = []
    for e in mode.entries:
        p, done = check_entry(mode, root, e, out, fx)
        problems += p
        if not done:
            left.append(e)
    problems += check_links(mode, root)
    problems += check_unexpected(mode, root)
    p, missing = check_copies(mode, root, out, fx)
    problems += p
    left += missing
    told = [l for l in out.error_lines() if l not in mode.baseline_errors]
    if out.fault and out.fault[4] == "2":
        pass  # the failed call was the write of a message: nothing more can be told
    elif told:
        problems += check_told(mode, root, out, told, left)
    else:
        problems += check_absorbed(mode, out, left)
    return problems


RENAMES = ("rename", "renameat", "renameat2")
FILE_SYNCS = ("fdatasync", "fsync")


def absolute(root, path):
    return os.path.normpath(path if os.path.isabs(path) else os.path.join(root, path))


def temp_of(target):
    """The prefix of the temporary files scrub writes for target."""
    return os.path.join(os.path.dirname(target), "." + os.path.basename(target) + ".scrub-tmp-")


def synced_before(calls, i, target):
    """The temp renamed onto target at calls[i] was flushed after its last write."""
    prefix = temp_of(target)
    for sym, subject in reversed([(c[1], c[4]) for c in calls[:i]]):
        if sym in ("write", "writev") and subject.startswith(prefix):
            return False
        if sym == "syncfs" or (sym in FILE_SYNCS and subject.startswith(prefix)):
            return True
    return False


def check_durable(mode, root, calls):
    """The order of a durable run, from its trace (seq, symbol, fd, access, subject):
    every temp is flushed before it is renamed, and after the renames into a
    directory that directory is fsynced once, before the run ends."""
    problems = []
    unsynced_dirs = {}  # directory -> the first rename into it since its last fsync
    for i, (_, sym, _, _, subject) in enumerate(calls):
        path = absolute(root, subject)
        if sym in RENAMES:
            if not synced_before(calls, i, path):
                problems.append("'%s' renamed before its data was flushed" % os.path.relpath(path, root))
            unsynced_dirs.setdefault(os.path.dirname(path), path)
        elif sym in FILE_SYNCS and os.path.isdir(path):
            if path not in unsynced_dirs:
                problems.append("directory '%s' fsynced with no rename since its last fsync" %
                                os.path.relpath(path, root))
            unsynced_dirs.pop(path, None)
    for d, first in unsynced_dirs.items():
        problems.append("no fsync of directory '%s' after '%s' was renamed into it" % (
            os.path.relpath(d, root), os.path.relpath(first, root)))
    return problems
