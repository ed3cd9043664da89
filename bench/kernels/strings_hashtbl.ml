(* String building and hashing, mostly in Stdlib code (Buffer, Hashtbl, Printf). *)
let run n =
  let t = Hashtbl.create 1024 in
  for i = 1 to n * 1000 do
    let k = Printf.sprintf "key%d" (i mod 5000) in
    let b = Buffer.create 16 in
    Buffer.add_string b k; Buffer.add_char b '/'; Buffer.add_string b (string_of_int i);
    Hashtbl.replace t k (Buffer.length b + Option.value (Hashtbl.find_opt t k) ~default:0)
  done;
  Hashtbl.fold (fun _ v acc -> (acc + v) land 0xFFFFFF) t 0

let () = Bench_api.register "strings_hashtbl" run
