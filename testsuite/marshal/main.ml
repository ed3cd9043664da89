let () =
  Crosstest.load "plugin";
  let blob = !Api.plugin_blob in
  Printf.printf "host: plugin blob %d bytes, digest %s\n" (String.length blob) (Digest.to_hex (Digest.string blob));
  let (d : Api.data) = Marshal.from_string blob 0 in
  Gc.full_major ();
  Api.describe "host reads plugin blob" d;
  let mine = Api.make_data "plugin" in
  Printf.printf "host: same bytes as a host blob: %b; hash host %d, plugin %d\n"
    (Marshal.to_string mine [] = blob) (Hashtbl.hash mine) (!Api.plugin_hash mine);
  let hd = Api.make_data "host" in
  Printf.printf "host: Hashtbl.hash on both sides of one value: %d %d\n" (Hashtbl.hash hd) (!Api.plugin_hash hd);
  !Api.plugin_read (Marshal.to_string hd [])
