# SPDX-License-Identifier: GPL-2.0
#
# jq -r -f report.jq bench.json: the table make bench prints.

def pad($w): tostring | (" " * ($w - length)) + .;
def f($d): pow(10; $d) as $p | (. * $p | round) as $x
	   | "\($x / $p | floor)" + if $d > 0 then "." + ("\($x % $p)"
	     | ("0" * ($d - length)) + .) else "" end;
def lpad($w): tostring | . + (" " * ($w - length));
def scale: if .mode == "cookie" then "cookie, 1 blob"
	   else "rotate, \(.n) blobs" end;

"PALS benchmark \(.date), \(.command) (\(.git))",
"kernel \(.kernel), QEMU \(.qemu), TCG (no KVM), 1 vCPU",
"guest CPU: \(.guest_cpu); host CPU: \(.host_cpu)",
"guest vulnerabilities: spectre_v2: \(.vulnerabilities.spectre_v2); retbleed: \(.vulnerabilities.retbleed); spec_rstack_overflow: \(.vulnerabilities.spec_rstack_overflow)",
"",
"Access: ns/run = bpf_stats run_time_ns / run_cnt under -icount shift=0, i.e.",
"guest instructions of the program body (lowest of the rounds: a round reads",
"higher when a timer interrupt hit inside a run; min-max shown).",
"trig/s = getpgid() triggers per second under plain TCG (fastest of the",
"rounds), xARRAY = its time per trigger relative to ARRAY. TCG figures are",
"ratios, not native timings; icount does not model caches either.",
"",
([("scale" | lpad(20)), ("variant" | lpad(8)), ("ns/run" | pad(8)),
  ("min-max" | pad(13)), ("xARRAY" | pad(7)), ("xempty" | pad(7)),
  ("trig/s" | pad(9)), ("xARRAY" | pad(7))] | join(" ")),
(.access[] | [(scale | lpad(20)), (.variant | lpad(8)), (.ns | f(1) | pad(8)),
	      ("\(.ns_min | f(1))-\(.ns_max | f(1))" | pad(13)), (.x_array | f(2) | pad(7)),
	      (.x_empty | f(2) | pad(7)), (.tcg_triggers_per_s | pad(9)),
	      (.tcg_x_array | f(2) | pad(7))] | join(" ")),
"",
"Attach: create + attach + bind, per attachment, N attachments made in a",
"row: PALS (pals_attach_*()) vs plain libbpf attach with a cookie, in icount",
"guest us (instructions, plus idle time); teardown per attachment after.",
"",
([("kind" | lpad(7)), ("N" | pad(5)), ("plain us" | pad(10)),
  ("PALS us" | pad(10)), ("ratio" | pad(6)),
  ("teardown plain/PALS us" | pad(24))] | join(" ")),
(.attach[] | [(.kind | lpad(7)), (.n | pad(5)), (.plain_us | f(1) | pad(10)),
	      (.pals_us | f(1) | pad(10)), (.ratio | f(2) | pad(6)),
	      ("\(.plain_detach_us | f(0)) / \(.pals_detach_us | f(0))" | pad(24))]
	     | join(" ")),
"",
"PALS' steps one at a time (low-level calls), us per attachment:",
([("kind" | lpad(7)), ("N" | pad(5)), ("type id" | pad(8)), ("create" | pad(8)),
  ("attach" | pad(8)), ("bind" | pad(8))] | join(" ")),
(.attach_phases[] | [(.kind | lpad(7)), (.n | pad(5)), (.type_us | f(1) | pad(8)),
		     (.create_us | f(1) | pad(8)), (.attach_us | f(1) | pad(8)),
		     (.bind_us | f(1) | pad(8))] | join(" ")),
"",
"Memory per attach point (\(.memory[0].n) of them, \(.memory[0].data)-byte data), bytes:",
(.memory[] | "  \(.what | lpad(11)) \(.bytes_per_entry | f(1) | pad(7))  "
	     + {pals_stat: "PALS_A_STAT_OVERHEAD + data (the module's own figure)",
		pals_slab: "PALS, slab objects + vmalloc areas taken (delta)",
		pals_pages: "PALS, meminfo Slab + VmallocUsed growth (pages, table too)",
		array: "ARRAY map, memlock", hash: "HASH map, memlock",
		global: "global array (one ARRAY value), memlock"}[.what])
