package org.devrt.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same boots under JMH: the time to the shell's answer, bare and devrt (JMH's time also covers making
 * the boot's folder, about a millisecond, before the process starts). JMH runs all of one runtime's boots
 * before the other's, so on a noisy machine prefer {@link BootRatio}, which interleaves them and reports
 * the ratio; this one gives JMH's statistics and output formats.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 10)
@Fork(1)
@State(Scope.Benchmark)
public class BootBenchmark {
    @Param({"bare", "devrt"})
    public String runtime;

    private Launch launch;
    private Boot boot;

    @Setup(Level.Trial)
    public void copyRuntime() throws IOException {
        launch = Launch.of(runtime);
    }

    @Benchmark
    public long bootToShell() throws Exception {
        boot = Boot.start(launch);
        return boot.awaitShell();
    }

    /** Outside the measured time: stopping the child and deleting its folder. */
    @TearDown(Level.Invocation)
    public void stop() throws Exception {
        if (boot != null) {
            boot.close();
            boot = null;
        }
    }
}
