package org.cvdplanner.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.CvdPlannerApplication;
import org.cvdplanner.TestDatabase;

/**
 * The service as separate JVMs on the test database, for tests that kill it (SIGKILL: no shutdown
 * hook, no hand-over) and start it again. Output goes to {@code target/kill-test/<instance>.log};
 * {@link #close()} kills whatever is still running.
 */
public final class ServiceProcesses implements AutoCloseable {

    private final List<String> jvmOptions;
    private final List<String> arguments;
    private final List<Process> processes = new ArrayList<>();

    /**
     * @param jvmOptions e.g. {@code -XX:TieredStopAtLevel=1}, after the heap and GC options
     * @param arguments application arguments for every instance ({@code --name=value})
     */
    public ServiceProcesses(List<String> jvmOptions, String... arguments) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.arguments = List.of(arguments);
    }

    /** One running instance: its process and a client for it. */
    public record Instance(Process process, int port, TestHttp http) {

        /** SIGKILL, and wait until the process is gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Starts an instance named {@code instance} on {@code port} and waits until it is healthy. */
    public Instance start(String instance, int port) {
        var db = TestDatabase.connectionDetails();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CvdPlannerApplication.class.getName(),
                "--spring.datasource.url=" + db.getJdbcUrl(),
                "--spring.datasource.username=" + db.getUsername(),
                "--spring.datasource.password=" + db.getPassword(),
                "--cvd-planner.embedded-database.enabled=false",
                "--cvd-planner.demo.enabled=false",
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--cvd-planner.jobs.instance-name=" + instance));
        command.addAll(arguments);
        Process process;
        try {
            Path log = Files.createDirectories(Path.of("target", "kill-test")).resolve(instance + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("OMP_NUM_THREADS", "1");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start instance " + instance, e);
        }
        processes.add(process);
        TestHttp http = TestHttp.at(port);
        // generous: a JVM start-up on a loaded 2-core machine has taken over two minutes
        TestHttp.await("the service " + instance + " on port " + port, Duration.ofSeconds(240), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + "; see target/kill-test/"
                        + instance + ".log");
            }
            try {
                return http.get("/actuator/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return new Instance(process, port, http);
    }

    /** A port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }
}
