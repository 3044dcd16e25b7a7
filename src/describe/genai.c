/*
 * What image generators write into their files, summarised for reports:
 * the generator, the prompt, the negative prompt, seed, model, sampler
 * and steps (SPEC.md section 4, the prompt group).
 *
 *   Automatic1111 and Forge  PNG "parameters" (or EXIF UserComment):
 *                            prompt, "Negative prompt: ...", then one line
 *                            of "Key: value" pairs (Steps, Sampler, Seed,
 *                            Model, Version).
 *   SwarmUI                  the same places, JSON {"sui_image_params": {...}}
 *   Fooocus                  "parameters" JSON (prompt, base_model, version),
 *                            or the A1111 form with "Version: Fooocus ...";
 *                            "fooocus_scheme" names which
 *   ComfyUI                  "prompt": the API graph (nodes with class_type
 *                            and inputs, links as ["id", slot]); "workflow":
 *                            the editor's graph (nodes with widgets_values,
 *                            links as [id, from, slot, to, slot, type])
 *   InvokeAI                 "invokeai_metadata" (3.x and later JSON),
 *                            "invokeai_graph", "sd-metadata" (2.x JSON),
 *                            "Dream" (1.x: "prompt [negative]" -S seed ...)
 *   NovelAI                  Software "NovelAI", Description = prompt,
 *                            Source = model, Comment JSON (uc = negative)
 *   Draw Things              XMP exif:UserComment JSON (c, uc, seed, model)
 *
 * JSON goes through the bounded reader (jsonread.h); nothing here recurses,
 * and following a ComfyUI link is limited to a few hops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "describe/facts.h"
#include "describe/jsonread.h"

/* A text input that is itself a link (a primitive node) is followed this far. */
#define LINK_HOPS 4

static void set(char *dst, size_t size, const char *v)
{
	scrub_facts_set(dst, size, v, strlen(v));
}

/* dst (when empty) from member key of obj: a string or number, trimmed, cut. */
static void take(const struct scrub_jr *j, size_t obj, const char *key, char *dst, size_t size)
{
	size_t v = scrub_jr_get(j, obj, key);
	if (dst[0] || v == SCRUB_JR_NONE)
		return;
	char *buf = malloc(size);
	if (buf && scrub_jr_text(j, v, buf, size) && scrub_jr_type(j, v) != SCRUB_JR_LITERAL)
		set(dst, size, buf);
	free(buf);
}

#define TAKE(j, obj, key, field) take(j, obj, key, field, sizeof field)

/* ---- Automatic1111, Forge and the A1111 form of others ---- */

/* Value of "Key: value" in a settings line (values may be quoted); false if absent. */
static bool setting(const char *line, size_t n, const char *key, char *dst, size_t size)
{
	size_t k = strlen(key);
	/* Values are read up to n only: the text is a chunk's, without a NUL after it. */
	for (size_t i = 0; i + k + 2 < n; i++) {
		if ((i && !(line[i - 1] == ' ' && i >= 2 && line[i - 2] == ',')) ||
		    memcmp(line + i, key, k) || line[i + k] != ':' || line[i + k + 1] != ' ')
			continue;
		const char *v = line + i + k + 2, *end = line + n;
		const char *stop = *v == '"' ? memchr(v + 1, '"', (size_t)(end - v - 1)) : NULL;
		if (*v == '"' && stop)
			v++;
		else
			for (stop = v; stop < end && !(stop[0] == ',' && stop + 1 < end && stop[1] == ' ');)
				stop++;
		scrub_facts_set(dst, size, v, (size_t)(stop - v));
		return true;
	}
	return false;
}

/* Where the last line starts; it is the settings line when it has "Steps: ". */
static size_t last_line(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	size_t at = n;
	while (at > 0 && s[at - 1] != '\n')
		at--;
	return at;
}

static void a1111_generator(const char *line, size_t n, struct scrub_prompt *p)
{
	char version[40] = "";
	setting(line, n, "Version", version, sizeof version);
	const char *name = strstr(version, "Fooocus") ? "Fooocus" :
			   version[0] == 'f' && version[1] >= '0' && version[1] <= '9' ? "Forge" :
										 "Automatic1111";
	char both[64];
	if (strstr(version, name))
		snprintf(both, sizeof both, "%s", version);
	else
		snprintf(both, sizeof both, "%s%s%s", name, version[0] ? " " : "", version);
	p->generator[0] = '\0';
	set(p->generator, sizeof p->generator, both);
}

/* The A1111 text form; false when s is not one (no settings line with Steps). */
static bool a1111(const char *s, size_t n, struct scrub_prompt *p)
{
	size_t at = last_line(s, n), end = n;
	while (end > at && (s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == ' '))
		end--;
	const char *line = s + at;
	size_t len = end - at;
	char steps[8];
	if (!setting(line, len, "Steps", steps, sizeof steps) && (len < 7 || memcmp(line, "Steps: ", 7)))
		return false;
	static const char neg[] = "Negative prompt: ";
	const char *negative = NULL;
	for (size_t i = 0; i + sizeof neg - 1 <= at; i++)
		if ((i == 0 || s[i - 1] == '\n') && !memcmp(s + i, neg, sizeof neg - 1)) {
			negative = s + i;
			break;
		}
	size_t prompt_end = negative ? (size_t)(negative - s) : at;
	scrub_facts_set(p->prompt, sizeof p->prompt, s, prompt_end);
	if (negative)
		scrub_facts_set(p->negative, sizeof p->negative, negative + sizeof neg - 1,
				at - (size_t)(negative - s) - (sizeof neg - 1));
	setting(line, len, "Steps", p->steps, sizeof p->steps);
	setting(line, len, "Seed", p->seed, sizeof p->seed);
	setting(line, len, "Sampler", p->sampler, sizeof p->sampler);
	setting(line, len, "Model", p->model, sizeof p->model);
	a1111_generator(line, len, p);
	return true;
}

/* ---- JSON forms that keep the settings in one object ---- */

/* SwarmUI's sui_image_params, Fooocus' parameters; false for any other object. */
static bool flat_json(const struct scrub_jr *j, struct scrub_prompt *p)
{
	size_t sui = scrub_jr_get(j, 0, "sui_image_params");
	if (sui != SCRUB_JR_NONE) {
		char version[24] = "";
		TAKE(j, sui, "swarm_version", version);
		snprintf(p->generator, sizeof p->generator, "SwarmUI%s%s", version[0] ? " " : "",
			 version);
		TAKE(j, sui, "prompt", p->prompt);
		TAKE(j, sui, "negativeprompt", p->negative);
		TAKE(j, sui, "model", p->model);
		TAKE(j, sui, "seed", p->seed);
		TAKE(j, sui, "sampler", p->sampler);
		TAKE(j, sui, "steps", p->steps);
		return true;
	}
	char version[40] = "";
	TAKE(j, 0, "version", version);
	bool fooocus = strstr(version, "Fooocus") || scrub_jr_get(j, 0, "base_model") != SCRUB_JR_NONE;
	if (!fooocus || scrub_jr_get(j, 0, "prompt") == SCRUB_JR_NONE)
		return false;
	set(p->generator, sizeof p->generator, version[0] ? version : "Fooocus");
	TAKE(j, 0, "prompt", p->prompt);
	TAKE(j, 0, "negative_prompt", p->negative);
	TAKE(j, 0, "base_model", p->model);
	TAKE(j, 0, "seed", p->seed);
	TAKE(j, 0, "sampler", p->sampler);
	TAKE(j, 0, "steps", p->steps);
	return true;
}

/* Draw Things' UserComment: c is the prompt, uc the negative one. */
static bool draw_things(const struct scrub_jr *j, struct scrub_prompt *p)
{
	if (scrub_jr_get(j, 0, "c") == SCRUB_JR_NONE ||
	    (scrub_jr_get(j, 0, "uc") == SCRUB_JR_NONE && scrub_jr_get(j, 0, "seed") == SCRUB_JR_NONE))
		return false;
	set(p->generator, sizeof p->generator, "Draw Things");
	TAKE(j, 0, "c", p->prompt);
	TAKE(j, 0, "uc", p->negative);
	TAKE(j, 0, "model", p->model);
	TAKE(j, 0, "seed", p->seed);
	TAKE(j, 0, "sampler", p->sampler);
	TAKE(j, 0, "steps", p->steps);
	return true;
}

/* NovelAI's Comment: uc is the negative prompt; the prompt is in Description (or here). */
static bool novelai(const struct scrub_jr *j, struct scrub_prompt *p)
{
	bool settings = scrub_jr_get(j, 0, "sampler") != SCRUB_JR_NONE &&
			scrub_jr_get(j, 0, "steps") != SCRUB_JR_NONE;
	if (scrub_jr_get(j, 0, "uc") == SCRUB_JR_NONE && !settings)
		return false;
	set(p->generator, sizeof p->generator, "NovelAI");
	TAKE(j, 0, "prompt", p->prompt);
	TAKE(j, 0, "uc", p->negative);
	TAKE(j, 0, "seed", p->seed);
	TAKE(j, 0, "sampler", p->sampler);
	TAKE(j, 0, "steps", p->steps);
	return true;
}

/* ---- InvokeAI ---- */

static bool invoke_v3(const struct scrub_jr *j, struct scrub_prompt *p)
{
	char version[24] = "";
	TAKE(j, 0, "app_version", version);
	snprintf(p->generator, sizeof p->generator, "InvokeAI%s%s", version[0] ? " " : "", version);
	TAKE(j, 0, "positive_prompt", p->prompt);
	TAKE(j, 0, "negative_prompt", p->negative);
	TAKE(j, 0, "seed", p->seed);
	TAKE(j, 0, "scheduler", p->sampler);
	TAKE(j, 0, "steps", p->steps);
	size_t model = scrub_jr_get(j, 0, "model");
	TAKE(j, model, "model_name", p->model); /* 3.x */
	TAKE(j, model, "name", p->model);       /* 4.x */
	TAKE(j, 0, "model", p->model);          /* a plain name */
	return true;
}

/* 2.x: {"model_weights", "app_version", "image": {"prompt": [{"prompt"}] or text, ...}}. */
static bool invoke_v2(const struct scrub_jr *j, struct scrub_prompt *p)
{
	char version[24] = "";
	TAKE(j, 0, "app_version", version);
	snprintf(p->generator, sizeof p->generator, "InvokeAI%s%s", version[0] ? " " : "", version);
	TAKE(j, 0, "model_weights", p->model);
	size_t image = scrub_jr_get(j, 0, "image");
	size_t prompt = scrub_jr_get(j, image, "prompt");
	if (scrub_jr_type(j, prompt) == SCRUB_JR_ARRAY)
		TAKE(j, scrub_jr_first(j, prompt), "prompt", p->prompt);
	else
		TAKE(j, image, "prompt", p->prompt);
	TAKE(j, image, "seed", p->seed);
	TAKE(j, image, "sampler", p->sampler);
	TAKE(j, image, "steps", p->steps);
	return true;
}

/* The word after " -X " in a Dream command line, into dst. */
static void dream_flag(const char *s, const char *flag, char *dst, size_t size)
{
	const char *at = strstr(s, flag);
	if (!at)
		return;
	at += strlen(flag);
	size_t n = strcspn(at, " ");
	scrub_facts_set(dst, size, at, n);
}

/* 1.x: "\"a prompt [a negative one]\" -s 50 -S 2980747362 -W 512 -H 768 -C 5 -A k_lms". */
static bool invoke_dream(const char *s, size_t n, struct scrub_prompt *p)
{
	if (n < 2 || s[0] != '"')
		return false;
	const char *close = memchr(s + 1, '"', n - 1);
	if (!close)
		return false;
	size_t len = (size_t)(close - s - 1);
	const char *open = NULL;
	if (len >= 2 && close[-1] == ']')
		for (const char *q = close - 2; q > s && !open; q--)
			if (*q == '[')
				open = q;
	scrub_facts_set(p->prompt, sizeof p->prompt, s + 1, open ? (size_t)(open - s - 1) : len);
	if (open)
		scrub_facts_set(p->negative, sizeof p->negative, open + 1, (size_t)(close - open - 2));
	char *flags = malloc(n - len);
	if (flags) {
		size_t fl = n - len - 2;
		memcpy(flags, close + 1, fl);
		flags[fl] = '\0';
		dream_flag(flags, " -S ", p->seed, sizeof p->seed);
		dream_flag(flags, " -s ", p->steps, sizeof p->steps);
		dream_flag(flags, " -A ", p->sampler, sizeof p->sampler);
		dream_flag(flags, " -m ", p->model, sizeof p->model);
		free(flags);
	}
	set(p->generator, sizeof p->generator, "InvokeAI");
	return true;
}

/* ---- ComfyUI ---- */

/* The node a link ["id", slot] points at in the API graph, or SCRUB_JR_NONE. */
static size_t comfy_link(const struct scrub_jr *j, size_t link)
{
	if (scrub_jr_type(j, link) != SCRUB_JR_ARRAY)
		return SCRUB_JR_NONE;
	char id[32];
	if (!scrub_jr_text(j, scrub_jr_first(j, link), id, sizeof id))
		return SCRUB_JR_NONE;
	return scrub_jr_get(j, 0, id);
}

/* The text a conditioning input leads to: a text encoder's text, through a few links. */
static void comfy_text(const struct scrub_jr *j, size_t link, char *dst, size_t size)
{
	size_t node = comfy_link(j, link);
	for (int hop = 0; hop < LINK_HOPS && node != SCRUB_JR_NONE && !dst[0]; hop++) {
		size_t inputs = scrub_jr_get(j, node, "inputs");
		static const char *const keys[] = { "text", "text_g", "prompt", "value", "string" };
		size_t next = SCRUB_JR_NONE;
		for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !dst[0]; k++) {
			size_t v = scrub_jr_get(j, inputs, keys[k]);
			if (scrub_jr_type(j, v) == SCRUB_JR_STRING)
				take(j, inputs, keys[k], dst, size);
			else if (next == SCRUB_JR_NONE && scrub_jr_type(j, v) == SCRUB_JR_ARRAY)
				next = comfy_link(j, v);
		}
		/* A node that only passes conditioning on: follow its first such input. */
		if (next == SCRUB_JR_NONE)
			next = comfy_link(j, scrub_jr_get(j, inputs, "conditioning"));
		node = next;
	}
}

static bool class_has(const struct scrub_jr *j, size_t node, const char *what)
{
	char type[64];
	return scrub_jr_text(j, scrub_jr_get(j, node, "class_type"), type, sizeof type) &&
	       strstr(type, what);
}

/* One node of the API graph: samplers, model loaders, the image an img2img run loads. */
static void comfy_node(const struct scrub_jr *j, size_t node, struct scrub_prompt *p)
{
	size_t inputs = scrub_jr_get(j, node, "inputs");
	if (class_has(j, node, "Sampler")) {
		comfy_text(j, scrub_jr_get(j, inputs, "positive"), p->prompt, sizeof p->prompt);
		comfy_text(j, scrub_jr_get(j, inputs, "negative"), p->negative, sizeof p->negative);
		TAKE(j, inputs, "seed", p->seed);
		TAKE(j, inputs, "noise_seed", p->seed);
		TAKE(j, inputs, "sampler_name", p->sampler);
		TAKE(j, inputs, "steps", p->steps);
	} else if (class_has(j, node, "CheckpointLoader")) {
		TAKE(j, inputs, "ckpt_name", p->model);
	} else if (class_has(j, node, "UNETLoader")) {
		TAKE(j, inputs, "unet_name", p->model);
	} else if (class_has(j, node, "LoadImage")) {
		TAKE(j, inputs, "image", p->input_image);
	}
}

static bool comfy_prompt(const struct scrub_jr *j, struct scrub_prompt *p)
{
	if (scrub_jr_type(j, 0) != SCRUB_JR_OBJECT)
		return false;
	unsigned nodes = 0;
	for (size_t k = scrub_jr_first(j, 0); k != SCRUB_JR_NONE;) {
		size_t node = scrub_jr_next(j, 0, k);
		if (node == SCRUB_JR_NONE)
			break;
		if (scrub_jr_get(j, node, "class_type") != SCRUB_JR_NONE) {
			nodes++;
			comfy_node(j, node, p);
		}
		k = scrub_jr_next(j, 0, node);
	}
	if (!nodes)
		return false;
	set(p->generator, sizeof p->generator, "ComfyUI");
	p->nodes = nodes;
	return true;
}

/* The editor's node with this id, in nodes. */
static size_t workflow_node(const struct scrub_jr *j, size_t nodes, const char *id)
{
	for (size_t n = scrub_jr_first(j, nodes); n != SCRUB_JR_NONE; n = scrub_jr_next(j, nodes, n)) {
		char v[32];
		if (scrub_jr_text(j, scrub_jr_get(j, n, "id"), v, sizeof v) && !strcmp(v, id))
			return n;
	}
	return SCRUB_JR_NONE;
}

/* The first widget value of the node that feeds input name of node (through links). */
static void workflow_input(const struct scrub_jr *j, size_t nodes, size_t node, const char *name,
			   char *dst, size_t size)
{
	size_t inputs = scrub_jr_get(j, node, "inputs"), links = scrub_jr_get(j, 0, "links");
	char link[32] = "";
	for (size_t in = scrub_jr_first(j, inputs); in != SCRUB_JR_NONE; in = scrub_jr_next(j, inputs, in))
		if (scrub_jr_is(j, scrub_jr_get(j, in, "name"), name))
			scrub_jr_text(j, scrub_jr_get(j, in, "link"), link, sizeof link);
	for (size_t l = scrub_jr_first(j, links); link[0] && l != SCRUB_JR_NONE;
	     l = scrub_jr_next(j, links, l)) {
		char id[32], from[32];
		size_t first = scrub_jr_first(j, l);
		if (!scrub_jr_text(j, first, id, sizeof id) || strcmp(id, link) ||
		    !scrub_jr_text(j, scrub_jr_next(j, l, first), from, sizeof from))
			continue;
		size_t w = scrub_jr_get(j, workflow_node(j, nodes, from), "widgets_values");
		size_t text = scrub_jr_first(j, w);
		char *buf = malloc(size);
		if (buf && scrub_jr_type(j, text) == SCRUB_JR_STRING && scrub_jr_text(j, text, buf, size))
			set(dst, size, buf);
		free(buf);
		return;
	}
}

/* The nth widget value of node into dst. */
static void widget(const struct scrub_jr *j, size_t node, unsigned nth, char *dst, size_t size)
{
	size_t w = scrub_jr_get(j, node, "widgets_values");
	size_t v = scrub_jr_first(j, w);
	for (unsigned i = 0; i < nth && v != SCRUB_JR_NONE; i++)
		v = scrub_jr_next(j, w, v);
	char buf[128];
	if (!dst[0] && scrub_jr_type(j, v) != SCRUB_JR_LITERAL && scrub_jr_text(j, v, buf, sizeof buf))
		scrub_facts_set(dst, size, buf, strlen(buf));
}

static bool comfy_workflow(const struct scrub_jr *j, struct scrub_prompt *p)
{
	size_t nodes = scrub_jr_get(j, 0, "nodes");
	if (scrub_jr_type(j, nodes) != SCRUB_JR_ARRAY)
		return false;
	for (size_t n = scrub_jr_first(j, nodes); n != SCRUB_JR_NONE; n = scrub_jr_next(j, nodes, n)) {
		char type[64] = "";
		scrub_jr_text(j, scrub_jr_get(j, n, "type"), type, sizeof type);
		if (!strcmp(type, "KSampler")) {
			/* widgets: seed, control, steps, cfg, sampler, scheduler, denoise */
			workflow_input(j, nodes, n, "positive", p->prompt, sizeof p->prompt);
			workflow_input(j, nodes, n, "negative", p->negative, sizeof p->negative);
			widget(j, n, 0, p->seed, sizeof p->seed);
			widget(j, n, 2, p->steps, sizeof p->steps);
			widget(j, n, 4, p->sampler, sizeof p->sampler);
		} else if (strstr(type, "CheckpointLoader")) {
			widget(j, n, 0, p->model, sizeof p->model);
		} else if (!strcmp(type, "LoadImage")) {
			widget(j, n, 0, p->input_image, sizeof p->input_image);
		}
	}
	set(p->generator, sizeof p->generator, "ComfyUI");
	p->nodes = (unsigned)scrub_jr_count(j, nodes);
	return true;
}

/* InvokeAI's graph: the generator, and how many nodes it ran. */
static bool invoke_graph(const struct scrub_jr *j, struct scrub_prompt *p)
{
	set(p->generator, sizeof p->generator, "InvokeAI");
	size_t nodes = scrub_jr_get(j, 0, "nodes");
	size_t count = scrub_jr_count(j, nodes);
	p->nodes = (unsigned)(scrub_jr_type(j, nodes) == SCRUB_JR_OBJECT ? count / 2 : count);
	return true;
}

/* ---- dispatch ---- */

typedef bool (*json_fn)(const struct scrub_jr *j, struct scrub_prompt *p);

/* Parses text as a JSON object and hands it to fn; false when it is not one or fn declines. */
static bool with_json(const uint8_t *s, size_t n, json_fn fn, struct scrub_prompt *p)
{
	struct scrub_jr j;
	if (!scrub_jr_parse(&j, (const char *)s, n))
		return false;
	bool ok = scrub_jr_type(&j, 0) == SCRUB_JR_OBJECT && fn(&j, p);
	scrub_jr_free(&j);
	return ok;
}

static bool starts_json(const uint8_t *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
		s++, n--;
	return n > 0 && *s == '{';
}

/* "parameters": the A1111 form, or JSON from SwarmUI or Fooocus. */
static bool parameters(const uint8_t *s, size_t n, struct scrub_prompt *p)
{
	if (starts_json(s, n))
		return with_json(s, n, flat_json, p);
	return a1111((const char *)s, n, p);
}

bool scrub_genai_text(const char *keyword, const uint8_t *s, size_t n, struct scrub_facts *f)
{
	static const struct { const char *keyword; json_fn fn; } json_keys[] = {
		{ "prompt", comfy_prompt },	     { "workflow", comfy_workflow },
		{ "invokeai_metadata", invoke_v3 }, { "invokeai_graph", invoke_graph },
		{ "sd-metadata", invoke_v2 },	     { "Comment", novelai },
	};
	struct scrub_prompt *p = &f->prompt;
	if (!strcmp(keyword, "parameters"))
		return parameters(s, n, p);
	if (!strcmp(keyword, "Dream"))
		return invoke_dream((const char *)s, n, p);
	if (!strcmp(keyword, "fooocus_scheme")) {
		set(p->generator, sizeof p->generator, "Fooocus");
		return true;
	}
	for (size_t i = 0; i < sizeof json_keys / sizeof json_keys[0]; i++)
		if (!strcmp(keyword, json_keys[i].keyword))
			return starts_json(s, n) && with_json(s, n, json_keys[i].fn, p);
	return false;
}

static bool comment_json(const struct scrub_jr *j, struct scrub_prompt *p)
{
	return flat_json(j, p) || draw_things(j, p);
}

bool scrub_genai_comment(const uint8_t *s, size_t n, struct scrub_facts *f)
{
	if (starts_json(s, n))
		return with_json(s, n, comment_json, &f->prompt);
	return a1111((const char *)s, n, &f->prompt);
}

/* The free-text entry with this keyword, or NULL. */
static struct scrub_text_entry *text_entry(struct scrub_facts *f, const char *keyword)
{
	for (size_t i = 0; i < f->ntext; i++)
		if (!strcmp(f->text[i].keyword, keyword))
			return &f->text[i];
	return NULL;
}

static void drop_entry(struct scrub_facts *f, struct scrub_text_entry *e)
{
	size_t i = (size_t)(e - f->text);
	memmove(e, e + 1, (f->ntext - i - 1) * sizeof *e);
	f->ntext--;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

void scrub_genai_finish(struct scrub_facts *f)
{
	static const char *const generators[] = { "NovelAI", "Fooocus", "Draw Things", "ComfyUI",
						  "InvokeAI", "SwarmUI" };
	struct scrub_prompt *p = &f->prompt;
	for (size_t i = 0; i < sizeof generators / sizeof generators[0]; i++) {
		const char *name = generators[i];
		bool novelai = i == 0 && text_entry(f, "Description");
		/* A bare "Automatic1111" only says the text had that form: Software knows better. */
		bool guessed = !strcmp(p->generator, "Automatic1111");
		if (!starts_with(f->software, name) || (!p->generator[0] && !novelai) ||
		    (p->generator[0] && !guessed && !starts_with(p->generator, name)))
			continue;
		/* Software names the generator: the one fact moves to the prompt group. */
		p->generator[0] = '\0';
		set(p->generator, sizeof p->generator, f->software);
		f->software[0] = '\0';
	}
	if (!starts_with(p->generator, "NovelAI"))
		return;
	struct scrub_text_entry *d = text_entry(f, "Description");
	if (!p->prompt[0] && d) {
		set(p->prompt, sizeof p->prompt, d->value);
		drop_entry(f, d);
	}
	/* NovelAI's Source names the model ("Stable Diffusion 1D44365E"), not a device. */
	if (!p->model[0] && f->source[0]) {
		set(p->model, sizeof p->model, f->source);
		f->source[0] = '\0';
	}
}
