// SPDX-License-Identifier: GPL-2.0
/*
 * In the guest (make bench-funclat): what resolving the kfunc costs, by
 * step, in ms of guest time:
 *
 *	btf-walk [MODULE [KFUNC]]	(default: pals bpf_pals_get)
 *
 * vmlinux: parsing vmlinux BTF, which libbpf does for any object with a
 * kfunc or CO-RE relocation; all modules: what libbpf's load_module_btfs()
 * does to resolve one module kfunc (every module's BTF loaded and parsed);
 * by name: walking the BTF objects reading only their names, then loading
 * the one module's BTF and finding the kfunc in it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The kernel BTF object after @id, its name in @name; 0 at the end. */
static __u32 next_kernel_btf(__u32 id, char *name, __u32 len)
{
	struct bpf_btf_info info;
	__u32 info_len;
	int fd;

	while (!bpf_btf_get_next_id(id, &id)) {
		fd = bpf_btf_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.name = (__u64)(unsigned long)name;
		info.name_len = len;
		info_len = sizeof(info);
		name[0] = 0;
		if (bpf_btf_get_info_by_fd(fd, &info, &info_len))
			info.kernel_btf = 0;
		close(fd);
		if (info.kernel_btf)
			return id;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *module = argc > 1 ? argv[1] : "pals";
	const char *kfunc = argc > 2 ? argv[2] : "bpf_pals_get";
	double t0, t_vmlinux, t_all, t_name;
	struct btf *vmlinux, *btf;
	int modules = 0, found = -1;
	char name[64];
	__u32 id = 0;

	t0 = now_ms();
	vmlinux = btf__load_vmlinux_btf();
	t_vmlinux = now_ms() - t0;
	if (!vmlinux) {
		fprintf(stderr, "btf-walk: no vmlinux BTF\n");
		return 1;
	}

	t0 = now_ms();
	while ((id = next_kernel_btf(id, name, sizeof(name)))) {
		if (!strcmp(name, "vmlinux"))
			continue;
		btf = btf__load_from_kernel_by_id_split(id, vmlinux);
		if (btf)
			modules++;
		btf__free(btf);
	}
	t_all = now_ms() - t0;

	t0 = now_ms();
	while ((id = next_kernel_btf(id, name, sizeof(name))))
		if (!strcmp(name, module))
			break;
	btf = id ? btf__load_from_kernel_by_id_split(id, vmlinux) : NULL;
	if (btf)
		found = btf__find_by_name_kind(btf, kfunc, BTF_KIND_FUNC);
	t_name = now_ms() - t0;
	btf__free(btf);
	btf__free(vmlinux);

	printf("kfunc resolution: vmlinux BTF %.1f ms; all %d module BTFs %.1f ms; '%s' by name %.1f ms (%s [%d])\n",
	       t_vmlinux, modules, t_all, module, t_name, kfunc, found);
	return found > 0 ? 0 : 1;
}
