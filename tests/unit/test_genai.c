/*
 * Unit tests for the bounded JSON reader (src/describe/jsonread.c) and the
 * image-generator summaries built on it (src/describe/genai.c). Inputs are
 * written by hand in each generator's documented form; every truncation of
 * the JSON ones goes back through the reader in a block of its exact size,
 * so ASan sees any read past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "describe/facts.h"
#include "describe/jsonread.h"

#include "check.h"

static bool parse(struct scrub_jr *j, const char *s)
{
	return scrub_jr_parse(j, s, strlen(s));
}

static bool parses(const char *s)
{
	struct scrub_jr j;
	bool ok = parse(&j, s);
	scrub_jr_free(&j);
	return ok;
}

static void test_jr_grammar(void)
{
	CHECK(parses("{}") && parses("[]") && parses(" 1 ") && parses("\"x\"") && parses("null"));
	CHECK(parses("{\"a\": [1, -2.5e3, true, false, null, {\"b\": \"c\"}]}"));
	CHECK(parses("[NaN, Infinity, -Infinity]")); /* Python's json.dumps writes these */
	CHECK(!parses("") && !parses("   ") && !parses("{") && !parses("[1,]"));
	CHECK(!parses("{\"a\" 1}") && !parses("{\"a\": 1,}") && !parses("{1: 2}"));
	CHECK(!parses("[1] 2") && !parses("[1}") && !parses("{\"a\": 1]"));
	CHECK(!parses("\"a\nb\"")); /* a raw control character in a string */
	CHECK(!parses("\"\\x\"") && !parses("\"\\u12\"") && !parses("\"abc"));
	CHECK(!parses("-") && !parses("tru") && !parses("[+1]"));
	char nul[] = "\"a\\ b\"";
	nul[3] = '\0'; /* an escape of a NUL byte */
	struct scrub_jr j;
	CHECK(!scrub_jr_parse(&j, nul, sizeof nul - 1));
}

static void test_jr_budgets(void)
{
	char deep[2 * SCRUB_JR_MAX_DEPTH + 3];
	for (size_t depth = SCRUB_JR_MAX_DEPTH; depth <= SCRUB_JR_MAX_DEPTH + 1; depth++) {
		memset(deep, '[', depth);
		memset(deep + depth, ']', depth);
		deep[2 * depth] = '\0';
		CHECK(parses(deep) == (depth == SCRUB_JR_MAX_DEPTH));
	}
	/* One token past the budget: "[0,0,...]". */
	size_t n = SCRUB_JR_MAX_TOKENS, len = 2 * n + 1;
	char *wide = malloc(len + 1);
	if (!wide)
		abort();
	wide[0] = '[';
	for (size_t i = 0; i < n; i++) {
		wide[1 + 2 * i] = '0';
		wide[2 + 2 * i] = ',';
	}
	wide[len - 1] = ']';
	wide[len] = '\0';
	CHECK(!parses(wide));
	wide[len - 3] = ']'; /* one element fewer: within the budget */
	wide[len - 2] = '\0';
	CHECK(parses(wide));
	free(wide);
	struct scrub_jr j;
	CHECK(!scrub_jr_parse(&j, "[]", SCRUB_JR_MAX_BYTES + 1));
}

static void test_jr_lookup(void)
{
	struct scrub_jr j;
	const char *doc = "{\"a\": {\"x\": 1}, \"b\": [10, 20, 30], \"c\\u0064\": \"caf\\u00e9 \\ud83d\\ude00\","
			  " \"esc\": \"q\\\"\\\\\\/\\n\"}";
	CHECK(parse(&j, doc));
	char v[64];
	CHECK(scrub_jr_text(&j, scrub_jr_get(&j, scrub_jr_get(&j, 0, "a"), "x"), v, sizeof v) &&
	      !strcmp(v, "1"));
	size_t b = scrub_jr_get(&j, 0, "b");
	CHECK(scrub_jr_count(&j, b) == 3);
	size_t third = scrub_jr_next(&j, b, scrub_jr_next(&j, b, scrub_jr_first(&j, b)));
	CHECK(scrub_jr_text(&j, third, v, sizeof v) && !strcmp(v, "30"));
	CHECK(scrub_jr_next(&j, b, third) == SCRUB_JR_NONE);
	/* Keys are compared with their escapes undone. */
	CHECK(scrub_jr_text(&j, scrub_jr_get(&j, 0, "cd"), v, sizeof v) &&
	      !strcmp(v, "caf\xC3\xA9 \xF0\x9F\x98\x80"));
	CHECK(scrub_jr_text(&j, scrub_jr_get(&j, 0, "esc"), v, sizeof v) && !strcmp(v, "q\"\\/\n"));
	CHECK(scrub_jr_get(&j, 0, "missing") == SCRUB_JR_NONE);
	CHECK(scrub_jr_get(&j, b, "a") == SCRUB_JR_NONE); /* not an object */
	CHECK(!scrub_jr_text(&j, b, v, sizeof v));
	/* A cut never splits a character: "caf" and the two bytes of é do not fit in 5. */
	CHECK(scrub_jr_text(&j, scrub_jr_get(&j, 0, "cd"), v, 5) && !strcmp(v, "caf"));
	scrub_jr_free(&j);
}

/* Every prefix of doc in a block of its own size: parsed or refused, never read past. */
static void truncations(const char *doc)
{
	size_t n = strlen(doc);
	for (size_t cut = 0; cut <= n; cut++) {
		char *c = malloc(cut ? cut : 1);
		if (!c)
			abort();
		memcpy(c, doc, cut);
		struct scrub_jr j;
		bool ok = scrub_jr_parse(&j, c, cut);
		CHECK(ok == (cut == n)); /* no prefix of an object is whole */
		if (ok) {
			char v[32];
			for (size_t i = 0; i < j.ntok; i++)
				scrub_jr_text(&j, i, v, sizeof v);
		}
		scrub_jr_free(&j);
		free(c);
	}
}

static void facts_from(const char *keyword, const char *text, struct scrub_facts *f)
{
	scrub_facts_clear(f);
	CHECK(scrub_genai_text(keyword, (const uint8_t *)text, strlen(text), f));
}

static void test_a1111(void)
{
	struct scrub_facts f;
	facts_from("parameters", "a cat, \"in a hat\"\nsecond line\nNegative prompt: dogs\nugly\n"
		   "Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 512x768, "
		   "Model hash: abc, Model: dreamshaper_8, Version: v1.9.4", &f);
	CHECK(!strcmp(f.prompt.generator, "Automatic1111 v1.9.4"));
	CHECK(!strcmp(f.prompt.prompt, "a cat, \"in a hat\"\nsecond line"));
	CHECK(!strcmp(f.prompt.negative, "dogs\nugly"));
	CHECK(!strcmp(f.prompt.seed, "1234") && !strcmp(f.prompt.steps, "20"));
	CHECK(!strcmp(f.prompt.sampler, "DPM++ 2M Karras"));
	CHECK(!strcmp(f.prompt.model, "dreamshaper_8"));
	/* Forge's version starts with f; a quoted value keeps its commas. */
	facts_from("parameters", "p\nSteps: 4, Seed: 7, Model: \"flux, dev\", Version: f2.0.1v1.10.1", &f);
	CHECK(!strcmp(f.prompt.generator, "Forge f2.0.1v1.10.1"));
	CHECK(!strcmp(f.prompt.model, "flux, dev") && !strcmp(f.prompt.negative, ""));
	facts_from("parameters", "p\nSteps: 30, Seed: 5, Version: Fooocus v2.5.5", &f);
	CHECK(!strcmp(f.prompt.generator, "Fooocus v2.5.5"));
	/* Not the A1111 form: left as free text. */
	scrub_facts_clear(&f);
	CHECK(!scrub_genai_text("parameters", (const uint8_t *)"just words", 10, &f));
	CHECK(!scrub_genai_text("parameters", (const uint8_t *)"a\nSeed: 1", 9, &f));
	CHECK(f.prompt.prompt[0] == '\0');
}

static void test_json_generators(void)
{
	struct scrub_facts f;
	facts_from("parameters", "{\"sui_image_params\": {\"prompt\": \"a fox\", \"negativeprompt\": \"blur\","
		   " \"model\": \"Flux/flux1-dev\", \"seed\": 42, \"sampler\": \"euler\", \"steps\": 25,"
		   " \"swarm_version\": \"0.9.1.1\"}}", &f);
	CHECK(!strcmp(f.prompt.generator, "SwarmUI 0.9.1.1") && !strcmp(f.prompt.prompt, "a fox"));
	CHECK(!strcmp(f.prompt.negative, "blur") && !strcmp(f.prompt.seed, "42"));
	CHECK(!strcmp(f.prompt.model, "Flux/flux1-dev") && !strcmp(f.prompt.steps, "25"));
	facts_from("parameters", "{\"prompt\": \"a boat\", \"negative_prompt\": \"\", \"base_model\":"
		   " \"juggernautXL\", \"seed\": \"314\", \"sampler\": \"dpmpp_2m_sde_gpu\","
		   " \"version\": \"Fooocus v2.5.5\"}", &f);
	CHECK(!strcmp(f.prompt.generator, "Fooocus v2.5.5") && !strcmp(f.prompt.model, "juggernautXL"));
	CHECK(!strcmp(f.prompt.seed, "314") && f.prompt.negative[0] == '\0');
	facts_from("invokeai_metadata", "{\"positive_prompt\": \"a tree\", \"negative_prompt\": \"snow\","
		   " \"seed\": 9, \"scheduler\": \"euler\", \"steps\": 30, \"model\": {\"name\":"
		   " \"sdxl-base\", \"base\": \"sdxl\"}, \"app_version\": \"4.2.4\"}", &f);
	CHECK(!strcmp(f.prompt.generator, "InvokeAI 4.2.4") && !strcmp(f.prompt.prompt, "a tree"));
	CHECK(!strcmp(f.prompt.model, "sdxl-base") && !strcmp(f.prompt.sampler, "euler"));
	facts_from("sd-metadata", "{\"model_weights\": \"stable-diffusion-1.5\", \"app_version\": \"2.3.0\","
		   " \"image\": {\"prompt\": [{\"prompt\": \"a lake\", \"weight\": 1}], \"seed\": 11,"
		   " \"sampler\": \"k_lms\", \"steps\": 50}}", &f);
	CHECK(!strcmp(f.prompt.generator, "InvokeAI 2.3.0") && !strcmp(f.prompt.prompt, "a lake"));
	CHECK(!strcmp(f.prompt.model, "stable-diffusion-1.5") && !strcmp(f.prompt.seed, "11"));
	facts_from("Dream", "\"a red house [fog, rain]\" -s 50 -S 2980747362 -W 512 -H 768 -A k_lms", &f);
	CHECK(!strcmp(f.prompt.prompt, "a red house") && !strcmp(f.prompt.negative, "fog, rain"));
	CHECK(!strcmp(f.prompt.seed, "2980747362") && !strcmp(f.prompt.steps, "50"));
	CHECK(!strcmp(f.prompt.sampler, "k_lms") && !strcmp(f.prompt.generator, "InvokeAI"));
	/* JSON that is not a generator's, or not JSON, under a generator's keyword. */
	scrub_facts_clear(&f);
	CHECK(!scrub_genai_text("prompt", (const uint8_t *)"{\"a\": 1}", 8, &f));
	CHECK(!scrub_genai_text("prompt", (const uint8_t *)"a plain prompt", 14, &f));
	CHECK(!scrub_genai_text("Comment", (const uint8_t *)"{\"x\": 1}", 8, &f));
	CHECK(!scrub_genai_text("Title", (const uint8_t *)"{\"uc\": 1}", 9, &f));
}

static const char comfy_graph[] =
	"{\"3\": {\"inputs\": {\"seed\": 280823642470253, \"steps\": 20, \"sampler_name\": \"dpmpp_2m\","
	" \"model\": [\"14\", 0], \"positive\": [\"6\", 0], \"negative\": [\"7\", 0]},"
	" \"class_type\": \"KSampler\"},"
	" \"6\": {\"inputs\": {\"text\": [\"20\", 0], \"clip\": [\"14\", 1]}, \"class_type\": \"CLIPTextEncode\"},"
	" \"20\": {\"inputs\": {\"string\": \"a victorian woman\"}, \"class_type\": \"PrimitiveString\"},"
	" \"7\": {\"inputs\": {\"text\": \"watermark\"}, \"class_type\": \"CLIPTextEncode\"},"
	" \"10\": {\"inputs\": {\"image\": \"holiday.png\"}, \"class_type\": \"LoadImage\"},"
	" \"14\": {\"inputs\": {\"ckpt_name\": \"v1-5.ckpt\"}, \"class_type\": \"CheckpointLoaderSimple\"}}";

static const char comfy_editor[] =
	"{\"last_node_id\": 9, \"nodes\": [{\"id\": 7, \"type\": \"CLIPTextEncode\", \"widgets_values\":"
	" [\"blurry\"]}, {\"id\": 6, \"type\": \"CLIPTextEncode\", \"widgets_values\": [\"a castle\"]},"
	" {\"id\": 3, \"type\": \"KSampler\", \"inputs\": [{\"name\": \"positive\", \"link\": 4},"
	" {\"name\": \"negative\", \"link\": 6}], \"widgets_values\": [99, \"randomize\", 25, 8,"
	" \"euler\", \"normal\", 1]}, {\"id\": 4, \"type\": \"CheckpointLoaderSimple\","
	" \"widgets_values\": [\"sd_xl_base.safetensors\"]}],"
	" \"links\": [[4, 6, 0, 3, 1, \"CONDITIONING\"], [6, 7, 0, 3, 2, \"CONDITIONING\"]]}";

static void test_comfy(void)
{
	struct scrub_facts f;
	facts_from("prompt", comfy_graph, &f);
	CHECK(!strcmp(f.prompt.generator, "ComfyUI") && f.prompt.nodes == 6);
	CHECK(!strcmp(f.prompt.prompt, "a victorian woman")); /* through a primitive node */
	CHECK(!strcmp(f.prompt.negative, "watermark"));
	CHECK(!strcmp(f.prompt.seed, "280823642470253") && !strcmp(f.prompt.steps, "20"));
	CHECK(!strcmp(f.prompt.model, "v1-5.ckpt") && !strcmp(f.prompt.input_image, "holiday.png"));
	facts_from("workflow", comfy_editor, &f);
	CHECK(!strcmp(f.prompt.prompt, "a castle") && !strcmp(f.prompt.negative, "blurry"));
	CHECK(!strcmp(f.prompt.seed, "99") && !strcmp(f.prompt.steps, "25"));
	CHECK(!strcmp(f.prompt.sampler, "euler") && f.prompt.nodes == 4);
	CHECK(!strcmp(f.prompt.model, "sd_xl_base.safetensors"));
	/* A link cycle is followed a few hops, then given up. */
	facts_from("prompt", "{\"1\": {\"class_type\": \"KSampler\", \"inputs\": {\"positive\": [\"2\", 0]}},"
		   " \"2\": {\"class_type\": \"X\", \"inputs\": {\"text\": [\"2\", 0]}}}", &f);
	CHECK(f.prompt.prompt[0] == '\0' && f.prompt.nodes == 2);
	truncations(comfy_graph);
	truncations(comfy_editor);
}

static void test_novelai_and_finish(void)
{
	struct scrub_facts f;
	facts_from("Comment", "{\"steps\": 28, \"sampler\": \"k_euler_ancestral\", \"seed\": 2253955223,"
		   " \"uc\": \"lowres, bad anatomy\"}", &f);
	CHECK(!strcmp(f.prompt.negative, "lowres, bad anatomy") && !strcmp(f.prompt.seed, "2253955223"));
	scrub_describe_text_entry("Title", (const uint8_t *)"AI generated image", 18, &f);
	scrub_describe_text_entry("Description", (const uint8_t *)"a cat in space", 14, &f);
	strcpy(f.software, "NovelAI");
	strcpy(f.source, "Stable Diffusion 1D44365E");
	scrub_genai_finish(&f);
	/* Each fact once: the Description is the prompt, Source the model, Software the generator. */
	CHECK(!strcmp(f.prompt.prompt, "a cat in space") && f.ntext == 1);
	CHECK(!strcmp(f.text[0].keyword, "Title"));
	CHECK(!strcmp(f.prompt.model, "Stable Diffusion 1D44365E") && f.source[0] == '\0');
	CHECK(!strcmp(f.prompt.generator, "NovelAI") && f.software[0] == '\0');
	/* Software alone, with nothing generated to summarise, stays the device's. */
	scrub_facts_clear(&f);
	strcpy(f.software, "Fooocus v2.5.5");
	scrub_genai_finish(&f);
	CHECK(!strcmp(f.software, "Fooocus v2.5.5") && f.prompt.generator[0] == '\0');
	/* A generator other than the one Software names leaves Software alone. */
	scrub_facts_clear(&f);
	strcpy(f.software, "NovelAI");
	strcpy(f.prompt.generator, "ComfyUI");
	scrub_genai_finish(&f);
	CHECK(!strcmp(f.software, "NovelAI") && !strcmp(f.prompt.generator, "ComfyUI"));
}

static void test_comments(void)
{
	struct scrub_facts f;
	scrub_facts_clear(&f);
	const char *dt = "{\"c\": \"a lighthouse\", \"uc\": \"people\", \"seed\": 77, \"model\": \"sd_v1.5\","
			 " \"sampler\": \"DPM++ 2M Karras\", \"steps\": 20}";
	CHECK(scrub_genai_comment((const uint8_t *)dt, strlen(dt), &f));
	CHECK(!strcmp(f.prompt.generator, "Draw Things") && !strcmp(f.prompt.prompt, "a lighthouse"));
	CHECK(!strcmp(f.prompt.negative, "people") && !strcmp(f.prompt.model, "sd_v1.5"));
	scrub_facts_clear(&f);
	const char *a = "a dog\nSteps: 10, Seed: 3";
	CHECK(scrub_genai_comment((const uint8_t *)a, strlen(a), &f));
	CHECK(!strcmp(f.prompt.prompt, "a dog") && !strcmp(f.prompt.seed, "3"));
	scrub_facts_clear(&f);
	CHECK(!scrub_genai_comment((const uint8_t *)"Screenshot", 10, &f));
	CHECK(!scrub_genai_comment((const uint8_t *)"{\"a\": 1}", 8, &f));
}

/* A long prompt is cut to SCRUB_PROMPT_MAX - 1 bytes or less, on a character boundary. */
static void test_prompt_cut(void)
{
	size_t n = 3000;
	char *text = malloc(n + 32);
	if (!text)
		abort();
	for (size_t i = 0; i < n; i += 2)
		memcpy(text + i, "\xC3\xA9", 2); /* é */
	strcpy(text + n, "\nSteps: 1, Seed: 2");
	struct scrub_facts f;
	facts_from("parameters", text, &f);
	size_t len = strlen(f.prompt.prompt);
	CHECK(len > SCRUB_PROMPT_MAX - 4 && len < SCRUB_PROMPT_MAX);
	CHECK(scrub_utf8_valid((const unsigned char *)f.prompt.prompt, len));
	free(text);
}

int main(void)
{
	test_jr_grammar();
	test_jr_budgets();
	test_jr_lookup();
	truncations("{\"a\": [1, 2.5, \"x\\u00e9\", {\"b\": null}], \"c\": true}");
	test_a1111();
	test_json_generators();
	test_comfy();
	test_novelai_and_finish();
	test_comments();
	test_prompt_cut();
	return check_summary();
}
