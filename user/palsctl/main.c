// SPDX-License-Identifier: GPL-2.0
/*
 * palsctl: list, show, update, delete, pin and unpin PALS blobs, and show
 * the module's statistics. Options, command dispatch and the help text.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "palsctl.h"

static const char help_text[] =
"NAME\n"
"    palsctl - inspect and control PALS blobs (per-attach local storage\n"
"    for BPF programs)\n"
"\n"
"SYNOPSIS\n"
"    palsctl [-j | -p] [-c] COMMAND [ARGS]\n"
"\n"
"    COMMAND := { list | show | update | delete | pin | unpin | stats |\n"
"                 help }\n"
"\n"
"DESCRIPTION\n"
"    The pals module (pals.ko) keeps one typed blob per BPF program\n"
"    attachment; the program reads and writes it through the kfunc\n"
"    bpf_pals_get(). palsctl talks to the module over generic netlink\n"
"    (family \"pals\") and needs CAP_BPF or CAP_SYS_ADMIN; listing,\n"
"    reading or changing blobs that another process created needs\n"
"    CAP_SYS_ADMIN.\n"
"\n"
"    A blob is named by its HANDLE, the BPF cookie of its attachment,\n"
"    printed in hex (0x...) and accepted in any base C's strtoull() reads\n"
"    (decimal, 0x hex, 0 octal).\n"
"\n"
"COMMANDS\n"
"    palsctl list\n"
"        One line per blob: handle, program id and name, link id, link\n"
"        kind and attach target (when the kernel tells), BTF type name,\n"
"        size in bytes, owner pid and whether the blob is pinned. Each\n"
"        blob of a kprobe_multi or uprobe_multi link shows its own\n"
"        target (kprobe:FUNCTION; uprobe:PATH:FUNCTION where a function\n"
"        starts at the place, else uprobe:PATH+OFFSET; usdt:PATH+OFFSET\n"
"        for a USDT site), from the link's cookies.\n"
"\n"
"    palsctl show HANDLE\n"
"        The blob's description, then its bytes formatted with the BTF\n"
"        type of its program (as bpftool map dump does), or in hex when\n"
"        the BTF cannot be loaded; char arrays holding a string print as\n"
"        one. With -j: \"bytes\" (one hex string, two digits a byte) and\n"
"        \"formatted\" (the value as JSON, members by name).\n"
"\n"
"        A per-CPU blob (PALS_F_PERCPU) has one copy per possible CPU:\n"
"        show merges them by BTF, summing integers; members that have\n"
"        no sum (unions, pointers, enums, floats, bools, chars, bit\n"
"        fields) show CPU 0's value and are named (\"unsummed\" with\n"
"        -j). With -c, each CPU's copy (\"cpus\" with -j). \"bytes\" is\n"
"        every CPU's copy, each padded to 8 bytes.\n"
"\n"
"    palsctl update HANDLE [FILE]\n"
"        Replace the blob's bytes, atomically, with the raw contents of\n"
"        FILE, or of standard input when FILE is - or missing. The input\n"
"        must have exactly the blob's size; for a per-CPU blob, that or\n"
"        every CPU's copy, each padded to 8 bytes.\n"
"\n"
"    palsctl update HANDLE .MEMBER=VALUE...\n"
"        Write members by name, in place, one after the other: the rest\n"
"        of the blob (counters the program keeps) stays as it is, and a\n"
"        program may see one member changed before the next. MEMBER is a\n"
"        path in the blob's BTF type (.inner.depth, .slots[2]); VALUE an\n"
"        integer in any C base, an enumerator, true or false, a number\n"
"        for a float, or a string for a char array. Bitfields and whole\n"
"        structs cannot be set this way. A per-CPU blob's member is\n"
"        written in every CPU's copy.\n"
"\n"
"    palsctl delete HANDLE\n"
"        Delete the blob; a bound blob takes its link with it, unless\n"
"        other blobs are bound to that link: deleting one blob of a\n"
"        kprobe_multi, uprobe_multi or USDT link leaves the link and its\n"
"        other blobs attached (the deleted one's attach point then runs\n"
"        the program without a blob). The link goes when its last blob\n"
"        and its creator's descriptor are gone.\n"
"\n"
"    palsctl pin HANDLE\n"
"        Pin the blob: it outlives the process that created it, until\n"
"        deleted.\n"
"\n"
"    palsctl unpin HANDLE\n"
"        Unpin the blob: it dies with the process that created it again.\n"
"        If that process is gone, nothing owns the blob any more: it,\n"
"        and its link, are deleted when palsctl exits.\n"
"\n"
"    palsctl stats\n"
"        The module's counters and limits: live blobs and bytes, creates,\n"
"        deletes, kfunc misses (NULL returns), max_size, max_bytes and the\n"
"        kernel memory overhead per blob.\n"
"\n"
"    palsctl help\n"
"        This text.\n"
"\n"
"OPTIONS\n"
"    -j, --json\n"
"        JSON output. Commands without output print null. Errors are\n"
"        printed as {\"error\": \"...\"} on standard output.\n"
"\n"
"    -p, --pretty\n"
"        Pretty-printed JSON output; implies -j.\n"
"\n"
"    -c, --per-cpu\n"
"        show: a per-CPU blob's copies one by one, not merged.\n"
"\n"
"    -h, --help\n"
"        This text.\n"
"\n"
"    Options may come before or after the command.\n"
"\n"
"EXIT STATUS\n"
"    0   success.\n"
"    1   the command failed; \"Error: ...\" on standard error tells why,\n"
"        with the kernel's own message when it gave one.\n"
"    2   usage error: unknown command or option, missing or extra\n"
"        argument, malformed handle.\n"
"\n"
"EXAMPLES\n"
"    palsctl list\n"
"    palsctl -p show 0x100000003\n"
"    palsctl update 0x100000003 cfg.bin\n"
"    palsctl update 0x100000003 .threshold_ns=5000000\n"
"    printf '\\x2a\\0\\0\\0\\0\\0\\0\\0' | palsctl update 0x100000003 -\n"
"    palsctl pin 0x100000003\n"
"    palsctl -j stats | jq .misses\n";

static int do_help(int argc, char **argv)
{
	if (argc)
		return p_usage("unexpected argument '%s'", argv[0]);
	fputs(help_text, stdout);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "list", do_list },
	{ "show", do_show },
	{ "update", do_update },
	{ "delete", do_delete },
	{ "pin", do_pin },
	{ "unpin", do_unpin },
	{ "stats", do_stats },
	{ "help", do_help },
};

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "per-cpu", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	size_t i;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "jpch", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			pretty_output = true;
			/* fallthrough */
		case 'j':
			json_output = true;
			break;
		case 'c':
			percpu_output = true;
			break;
		case 'h':
			return do_help(0, NULL);
		default:
			return p_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (!argc)
		return p_usage("command missing");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[0], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	return p_usage("unknown command '%s'", argv[0]);
}

int main(int argc, char **argv)
{
	int status;

	/* Errors are ours to print, from pals_last_error(). */
	pals_set_print(NULL);
	status = run(argc, argv);
	info_cleanup();
	return status;
}
