package com.backlogmcp.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a child process (a Node runner) to its end within a time limit, echoing its output with a prefix. The output is
 * read on its own thread, so the limit holds even when the child hangs with its output still open (a hung browser or
 * stream): reading to the end first would wait for ever. A child past the limit is killed with everything it started.
 */
final class ChildProcessRun {

    /** How the child ended: its exit code and every line it printed. */
    record Outcome(int exitCode, List<String> lines) {
        String output() {
            return String.join("\n", lines);
        }
    }

    private ChildProcessRun() {
    }

    static Outcome run(ProcessBuilder pb, String prefix, Duration limit) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    System.out.println(prefix + line);
                }
            } catch (IOException killed) {
                // The child was killed: what it printed so far is in lines.
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(Duration.ofSeconds(10));
            fail(pb.command() + " did not finish within " + limit + ":\n" + String.join("\n", List.copyOf(lines)));
        }
        // A grandchild that outlived the child may hold the output open: its lines are not waited for long.
        reader.join(Duration.ofSeconds(30));
        return new Outcome(p.exitValue(), List.copyOf(lines));
    }
}
