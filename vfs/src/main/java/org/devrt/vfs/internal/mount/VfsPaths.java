package org.devrt.vfs.internal.mount;

import java.util.ArrayList;
import java.util.List;

/** Absolute VFS paths as lists of names: {@code .} and {@code ..} resolved, empty segments dropped. */
public final class VfsPaths {
    private VfsPaths() {
    }

    /**
     * @throws IllegalArgumentException if the path is not absolute
     */
    public static List<String> split(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path '" + path + "' must be absolute (start with /)");
        }
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(s);
            }
        }
        return out;
    }

    public static String join(List<String> segments) {
        return "/" + String.join("/", segments);
    }

    public static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }
}
