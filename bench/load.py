#!/usr/bin/env python3
"""A bounded loopback load: GET through nginx with a Host header, a new connection per request,
from N threads, until told to stop (a file appears) or the request budget runs out.
Prints one JSON line: requests, failures, the first failures, latency percentiles."""
import http.client, json, os, sys, threading, time

port, host, stop_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
threads = int(os.environ.get("THREADS", "4"))
budget = int(os.environ.get("MAX_REQUESTS", "200000"))
deadline = time.time() + float(os.environ.get("MAX_SECONDS", "600"))
lock = threading.Lock()
count, failures, samples, latencies = 0, 0, [], []

def worker():
    global count, failures
    while not os.path.exists(stop_file) and time.time() < deadline:
        with lock:
            if count >= budget:
                return
            count += 1
        t0 = time.time()
        error = None
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/", headers={"Host": host, "Connection": "close"})
            r = c.getresponse()
            r.read()
            if r.status != 200:
                error = "HTTP %d" % r.status
            c.close()
        except Exception as e:  # any failed request counts
            error = repr(e)
        with lock:
            latencies.append(time.time() - t0)
            if error:
                failures += 1
                if len(samples) < 5:
                    samples.append(error)

ts = [threading.Thread(target=worker) for _ in range(threads)]
[t.start() for t in ts]
[t.join() for t in ts]
latencies.sort()
pct = lambda p: round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else None
print(json.dumps({"requests": count, "failures": failures, "first_failures": samples,
                  "p50_ms": pct(0.5), "p99_ms": pct(0.99), "max_ms": pct(1.0)}))
