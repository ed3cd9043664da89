(* The benchmark host's interface. Kernels register themselves here. The
   crossing kernels call functions of the other side through the refs
   below, which the host program and the crossing plugin fill: the calls
   then cross between native code and bytecode when the two sides differ,
   whichever side this unit itself is on (in a bytecode host loading .cmxs
   plugins it must be native code, see bench_loader.ml). *)

let kernels : (string * (int -> int)) list ref = ref []
let register name run = kernels := (name, run) :: !kernels

let unset _ = failwith "Bench_api: function not set"

(* Host functions, set by bench_host.ml *)
let host_f1 : (int -> int) ref = ref unset
let host_f2 : (int -> int -> int) ref = ref (fun _ -> unset)
let host_f3 : (int -> int -> int -> int) ref = ref (fun _ _ -> unset)
let host_f5 : (int -> int -> int -> int -> int -> int) ref =
  ref (fun _ _ _ _ -> unset)
let host_raise : (int -> int) ref = ref unset

(* Plugin functions, set by the crossing kernel (kernels/crossing.ml) *)
let plugin_f1 : (int -> int) ref = ref unset
let plugin_f2 : (int -> int -> int) ref = ref (fun _ -> unset)
let plugin_f3 : (int -> int -> int -> int) ref = ref (fun _ _ -> unset)
let plugin_f5 : (int -> int -> int -> int -> int -> int) ref =
  ref (fun _ _ _ _ -> unset)
let plugin_raise : (int -> int) ref = ref unset
