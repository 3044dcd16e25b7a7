/*
 * The formats scrub cleans, in the order detection tries them. This is
 * the only list: the backend table (formats/format.c), the "not an image"
 * message and --help, the CMake source list, the fuzz targets and the CI
 * fuzz loop all follow from it. No include guard: it is read once per use.
 *
 * SCRUB_FORMAT(id, name): the walker is src/formats/<id>.c (its codec half,
 * when there is one, <id>_codec.c) and defines scrub_backend_<id>; name is
 * how messages spell the format. CMake reads the rows with a regex, so keep
 * one row a line in exactly this shape.
 */
SCRUB_FORMAT(jpeg, "JPEG")
SCRUB_FORMAT(png, "PNG")
SCRUB_FORMAT(webp, "WebP")
SCRUB_FORMAT(gif, "GIF")
SCRUB_FORMAT(jxl, "JPEG XL")
SCRUB_FORMAT(heif, "HEIF")
