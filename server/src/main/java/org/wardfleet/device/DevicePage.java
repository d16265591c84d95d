package org.wardfleet.device;

import java.util.List;

/** One page of devices and how many match in all. */
public record DevicePage(List<Device> items, int page, int size, long total) {

    public DevicePage {
        items = List.copyOf(items);
    }

    public long pages() {
        return total == 0 ? 1 : (total + size - 1) / size;
    }
}
