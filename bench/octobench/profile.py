"""Summarises CPU samples: where the time goes, by the top frame (self) and by the frames that contain it
(total), grouped by method, by package, or by the innermost octohost method.

    python3 -m octobench.profile FILE [--by method|package|octohost] [--thread NAME] [--top N]

FILE is async-profiler's collapsed stacks (bench/run --profile DIR writes DIR/OCTOD.collapsed; JVM threads
such as the JIT compilers included) or a JFR recording (java -XX:StartFlightRecording=filename=F.jfr,
settings=profile; not together with a class data sharing archive: JDK 17 crashes on the pair)."""
import argparse
import collections
import json
import subprocess


def samples(path, thread=None):
    """(thread, frames from the innermost out, weight) per sample."""
    if path.endswith(".collapsed"):
        for line in open(path):
            stack, _, count = line.rstrip("\n").rpartition(" ")
            frames = stack.split(";")
            name = frames[0].strip("[]").split(" tid=")[0] if frames[0].startswith("[") else ""
            if thread and thread not in name:
                continue
            yield name, [f.replace("/", ".").split("(")[0] for f in reversed(frames[1:] if name else frames)], int(count)
        return
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample", path],
                         capture_output=True, check=True).stdout
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        name = (values.get("sampledThread") or {}).get("javaName") or ""
        if thread and thread not in name:
            continue
        frames = [f"{f['method']['type']['name'].replace('/', '.')}.{f['method']['name']}"
                  for f in values["stackTrace"]["frames"]]
        yield name, frames, 1


def key(frame, by):
    cls, _, _ = frame.rpartition(".")
    if by == "method":
        return frame
    if by == "package":
        return ".".join(cls.split(".")[:3]) if "." in cls else frame
    # octohost: the innermost octohost method on the stack, else the package
    return frame if frame.startswith("io.octohost") else None


def main():
    parser = argparse.ArgumentParser(prog="octobench.profile")
    parser.add_argument("file")
    parser.add_argument("--by", choices=["method", "package", "octohost"], default="package")
    parser.add_argument("--thread")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    own, total, threads, n = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for thread, frames, weight in samples(args.file, args.thread):
        n += weight
        threads[thread.rstrip("0123456789#").strip()] += weight
        keys = [k for k in (key(f, args.by) for f in frames) if k]
        if keys:
            own[keys[0]] += weight
            for k in set(keys):
                total[k] += weight
    print(f"{n} samples; threads: " + ", ".join(f"{t} {c}" for t, c in threads.most_common(8)))
    print(f"{'self':>6} {'total':>6}  {args.by}")
    for k, _ in (total if args.by == "octohost" else own).most_common(args.top):
        print(f"{100 * own[k] / max(n, 1):5.1f}% {100 * total[k] / max(n, 1):5.1f}%  {k}")


if __name__ == "__main__":
    main()
