package org.devrt.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How a runtime is launched: its exported jar, the folders its launch reads relative to the folder it
 * starts in, and the JVM options its launcher passes. All of it is copied once, when the launch is made,
 * so that a rebuild during a run neither breaks a boot nor changes what is measured.
 */
record Launch(String name, Path jar, Path home, List<String> jvmOptions) {

    /** "bare" or "devrt", from the repository at -Ddevrt.root (default: the working directory). */
    static Launch of(String name) throws IOException {
        Path root = Paths.get(System.getProperty("devrt.root", ".")).toAbsolutePath().normalize();
        return switch (name) {
            // Felix, SCR and Gogo, the storage in a temp folder. The shell reads devrt's etc/gosh_profile, as
            // devrt's does: Gogo's built-in profile would cost the bare boot some 600 ms of CPU more
            case "bare" -> copy(name, root, "benchmarks/target/bare.jar", List.of("etc"), List.of());
            // as ./devrt starts it: conf/ for File Install, etc/gosh_profile, the driver repository that
            // conf/devrt.devicemanager.cfg names, and the framework storage in var/framework (new each boot)
            case "devrt" -> copy(name, root, "runtime/target/run.jar",
                    List.of("conf", "etc", "runtime/target/drivers"),
                    List.of("-Dfelix.fileinstall.dir=conf", "-Dlaunch.storage.dir=var/framework"));
            default -> throw new IllegalArgumentException("unknown runtime: " + name);
        };
    }

    private static Launch copy(String name, Path root, String jar, List<String> folders, List<String> jvmOptions)
            throws IOException {
        Path snapshot = Files.createTempDirectory("devrt-boot-" + name + "-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(snapshot)));
        Path jarCopy = Files.copy(existing(root.resolve(jar)), snapshot.resolve(name + ".jar"));
        Path home = Files.createDirectory(snapshot.resolve("home"));
        for (String folder : folders) {
            copyTree(existing(root.resolve(folder)), home.resolve(folder));
        }
        return new Launch(name, jarCopy, home, jvmOptions);
    }

    /**
     * The same launch with its framework storage kept in var/framework of the folder it starts in, for restarts:
     * devrt keeps it anyway (-runkeep), the bare runtime would start on a new one each time.
     */
    Launch keepingState() {
        return new Launch(name, jar, home, Stream.concat(jvmOptions.stream(),
                Stream.of("-Dlaunch.keep=true", "-Dlaunch.storage.dir=var/framework")).distinct().toList());
    }

    /** A new folder to start in, holding a copy of the files the launch reads. */
    Path newWorkingFolder() throws IOException {
        Path dir = Files.createTempDirectory("devrt-boot-");
        copyTree(home, dir);
        return dir;
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " not found: build it (see benchmarks/run-boot.sh),"
                    + " and run from the repository root or set -Ddevrt.root");
        }
        return path;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
