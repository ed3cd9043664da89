(* Levels with an odd [n]; see main.ml. *)
let step n catch =
  if n = 0 then raise (Api.Bottom 2)
  else if n = catch then (try 2 + !Api.host_step (n - 1) catch with Api.Bottom v -> v * 1_000_000 + n)
  else if n mod 1000 = 1 then (try 2 + !Api.host_step (n - 1) catch with Failure _ -> -1)
  else 2 + !Api.host_step (n - 1) catch

let () = Api.plugin_step := step
