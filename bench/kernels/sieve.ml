(* Sieve of Eratosthenes on bytes, repeated. *)
let run n =
  let size = 1_000_000 in
  let count = ref 0 in
  for _ = 1 to n do
    let s = Bytes.make size '\001' in
    count := 0;
    for i = 2 to size - 1 do
      if Bytes.unsafe_get s i = '\001' then begin
        incr count;
        let j = ref (2 * i) in
        while !j < size do Bytes.unsafe_set s !j '\000'; j := !j + i done
      end
    done
  done;
  !count

let () = Bench_api.register "sieve" run
