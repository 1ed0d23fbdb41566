/* Memory management in the subsystem registry: frames, page tables, heap. */
#include "core/subsystem.h"
#include "mm/pmm.h"
#include "mm/slab.h"
#include "mm/vmm.h"

static int slab_init(void)
{
	kmalloc_init();
	return 0;
}

SUBSYSTEM(pmm, NO_DEPS, pmm_init, true);
SUBSYSTEM(vmm, DEPS("pmm"), vmm_init, true);
SUBSYSTEM(slab, DEPS("vmm"), slab_init, true);
