package io.tributary.microbenchmarks;

import java.util.Collection;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link AppendBenchmark#interleaved} and prints, per parameter set, the log's append rate
 * as a fraction of a raw {@code FileChannel} write of the same batches in the same run
 * (Σ plainNanos ÷ Σ logNanos), against the goal of 0.80. Any JMH option may be passed (forks,
 * iterations, {@code -p recordSize=1024}); the defaults are short, for a 2-core machine: 1 fork,
 * 2 warm-up and 5 measured iterations of 3 s.
 *
 * <pre>java -cp microbenchmarks/target/classes:$(cat microbenchmarks/target/benchmark.classpath) \
 *     io.tributary.microbenchmarks.AppendRatio</pre>
 */
public final class AppendRatio {

    static final double GOAL = 0.80;

    private AppendRatio() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions given = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(given)
                .include(AppendBenchmark.class.getSimpleName() + ".interleaved")
                .jvmArgsAppend("-Xmx512m");
        if (!given.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!given.getWarmupIterations().hasValue()) {
            options.warmupIterations(2).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(3));
        }
        if (!given.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(3));
        }
        report(run(options));
    }

    private static Collection<RunResult> run(OptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    private static void report(Collection<RunResult> results) {
        System.out.println();
        System.out.printf(
                "%-40s %10s %10s %8s %9s  %s%n",
                "params", "log ms", "plain ms", "ratio", "no-stall", "goal >= " + GOAL);
        boolean allMet = true;
        for (RunResult result : results) {
            double log = score(result, "logNanos");
            double plain = score(result, "plainNanos");
            double ratio = plain / log;
            // without the operations over 2 ms on either side (writeback throttling, descheduling)
            double steady = (plain - score(result, "plainStallNanos")) / (log - score(result, "logStallNanos"));
            allMet &= ratio >= GOAL;
            System.out.printf(
                    "%-40s %10.0f %10.0f %8.2f %9.2f  %s%n",
                    "recordSize=" + result.getParams().getParam("recordSize") + " segmentBytes="
                            + result.getParams().getParam("segmentBytes"),
                    log / 1e6,
                    plain / 1e6,
                    ratio,
                    steady,
                    ratio >= GOAL ? "yes" : "NO");
        }
        System.out.println("ratio = the log's append rate / a raw FileChannel write of the same batches, timed batch by"
                + " batch in one run; no-stall leaves out operations over 2 ms; "
                + (allMet ? "goal met" : "goal NOT met"));
    }

    private static double score(RunResult result, String counter) {
        Result<?> counted = result.getSecondaryResults().get(counter);
        return counted.getScore();
    }
}
