package org.devrt.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/** Bytes allocated so far by every live thread, by thread id (HotSpot's ThreadMXBean extension). */
public final class ThreadAllocation {
    private ThreadAllocation() {
    }

    public static Map<Long, Long> snapshot() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> map = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            map.put(ids[i], bytes[i]);
        }
        return map;
    }
}
