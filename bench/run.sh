#!/usr/bin/env bash
# One command for the benchmark: builds the service, makes its own media with ffmpeg, serves it
# from loopback and measures, alternating A B C A B C after unmeasured rounds of each until the JIT
# of the JVM doing its work has settled (bench/bench/WarmUp.java):
#   (a) this service ingesting 8 files of 128+ MiB, 4 at a time, into its embedded store;
#   (b) the same work as `curl URL | aws s3 cp - s3://...` into the same store, 4 at a time;
#   (c) direct uploads of the same files with the AWS SDK (the store's own limit here);
# then peak RSS with a 100 MB and a 2 GB file, and the API under 32 concurrent clients.
# Results: bench/results/<date>.json and .png; a table on stdout.
# Usage: bench/run.sh [rounds] [quick|small|api|rss|soak|scale|cluster|backlog]   (those modes: one measure only, nothing written;
# small: 400 files of ~215 KB, ours (after unmeasured rounds until its JIT has settled) against a boto3 thread-pool script; soak: 5,000 jobs over faulty
# sources with two SIGKILL restarts, written to bench/results/soak-DATE.json; scale: 1,000,000 jobs and
# media on H2 and PostgreSQL, query and submit latencies, written to bench/results/scale-DATE.json;
# cluster: 24 files from a source rate-limited per connection, 1 node then 3 nodes on Artemis,
# PostgreSQL and a standalone S3Proxy, written to bench/results/cluster-DATE.json; backlog: one cluster
# node with 2,000 jobs of one unanswering host, PostgreSQL transactions and CPU a second, printed only)
# BENCH_SERVICE_OPTS="-Dkey=value ..." passes settings to the service under test.
set -euo pipefail
cd "$(dirname "$0")/.."
need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need ffmpeg ffmpeg
need aws awscli
need curl curl
# the small-files peer is a Python script with boto3 and requests: any python3 that has them, else Debian's
if python3 -c 'import boto3, requests' 2>/dev/null; then
  export BENCH_PYTHON=python3
else
  apt-get install -y -qq python3-boto3 python3-requests >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3-boto3 python3-requests >/dev/null; }
  export BENCH_PYTHON=/usr/bin/python3
fi
# target/lib is made anew: the bench takes every jar in it, and an earlier build may have left other versions
rm -rf target/lib && ./mvnw -B -q package -DskipTests
# the bench is its own small program (bench/bench/*.java: orchestration, contenders, source server,
# API load, memory run, chart); it uses the service's libraries (AWS SDK, Jackson, JDBC drivers),
# never its classes, and the tests' helpers: LocalPostgres (scale, cluster), LocalBroker and
# GeneratedMediaSource (cluster)
# the cluster run also needs the tests' Artemis server (test scope: not in target/lib)
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-test.classpath
rm -rf target/bench && javac -d target/bench -cp "target/lib/*:target/test-classes:target/classes:$(cat target/bench-test.classpath)" bench/bench/*.java
exec java -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/bench:target/lib/*:target/test-classes:target/classes:$(cat target/bench-test.classpath)" \
  bench.Bench "${1:-3}" "${2:-full}"
