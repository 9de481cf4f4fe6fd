# SPDX-License-Identifier: GPL-2.0
#
# jq -s -f merge.jq --argjson host HOST icount.jsonl wall.jsonl: the JSON
# lines of both guests -> the report's data. Access figures are the
# lowest of the rounds: under icount the program's count is exact and a
# round reads higher only when a timer interrupt hit inside a run; on the
# wall clock the fastest round is the one least disturbed by the host.

def median: sort | if length == 0 then null else .[length / 2 | floor] end;
def r1: . * 10 | round / 10;
def r2: . * 100 | round / 100;

. as $all
| ($all | map(select(.test == "guest" and .meter == "icount")) | first) as $guest
| ($all | map(select(.test == "access" and .meter == "icount"))
  | group_by([.mode, .n, .variant])
  | map({mode: .[0].mode, n: .[0].n, variant: .[0].variant,
	 ns: (map(.run_time_ns / .run_cnt) | min),
	 ns_min: (map(.run_time_ns / .run_cnt) | min),
	 ns_max: (map(.run_time_ns / .run_cnt) | max)})) as $ic
| ($all | map(select(.test == "access" and .meter == "wall"))
  | group_by([.mode, .n, .variant])
  | map({mode: .[0].mode, n: .[0].n, variant: .[0].variant,
	 ns_per_trigger: (map(.wall_ns / .triggers) | min)})) as $wall
| def find($rows; $r; $v): $rows | map(select(.mode == $r.mode and .n == $r.n
					      and .variant == $v)) | first;
  $host + {
  kernel: $guest.kernel,
  guest_cpu: $guest.cpu,
  vulnerabilities: $guest.vulnerabilities,
  access: [$ic[] as $r
	   | find($ic; $r; "array").ns as $array
	   | find($ic; $r; "empty").ns as $empty
	   | find($wall; $r; $r.variant) as $w
	   | find($wall; $r; "array").ns_per_trigger as $warray
	   | $r + {ns: ($r.ns | r1), ns_min: ($r.ns_min | r1),
		   ns_max: ($r.ns_max | r1),
		   x_array: ($r.ns / $array | r2),
		   x_empty: ($r.ns / $empty | r2),
		   tcg_triggers_per_s: (1e9 / $w.ns_per_trigger | round),
		   tcg_x_array: ($w.ns_per_trigger / $warray | r2)}]
	  | sort_by([(.mode != "cookie"), .n,
		     (.variant as $v | ["empty", "key", "array", "hash", "global",
				      "pals", "fallback"] | index($v))]),
  attach: ($all | map(select(.test == "attach" and .meter == "icount"))
	   | group_by([.kind, .n])
	   | map(. as $g | {kind: .[0].kind, n: .[0].n}
		 + ([("plain", "pals") as $h
		     | ($g | map(select(.how == $h))) as $r
		     | {("\($h)_us"): ($r | map(.attach_ns / .n / 1e3) | median | r1),
			("\($h)_detach_us"): ($r | map(.detach_ns / .n / 1e3) | median | r1)}]
		    | add))
	   | map(. + {ratio: (.pals_us / .plain_us | r2)})
	   | sort_by([.kind != "kprobe", .n])),
  attach_phases: ($all | map(select(.test == "attach_phases" and .meter == "icount"))
		  | group_by([.kind, .n])
		  | map(. as $g | {kind: .[0].kind, n: .[0].n}
			+ ([("type", "create", "attach", "bind") as $p
			    | {("\($p)_us"): ($g | map(.["\($p)_ns"] / .n / 1e3)
					     | median | r1)}] | add))),
  memory: ($all | map(select(.test == "memory" and .meter == "icount")
		      | del(.test, .meter) | .bytes_per_entry |= r1)),
  raw: $all
}
