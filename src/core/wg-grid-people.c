/* wg-grid-people.c — who answers for a grid: its leader, instructor, workers and covering cadres
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One answer for the map's grid panel and the case detail: the grid's leader, instructor and
 * workers from the grid record, then the cadres covering it (三包): those assigned to the grid
 * itself, to one of its villager groups (包组) and to its village (包村). Household assignments
 * (包户) do not make a cadre of the grid. People the cache does not hold are left out of the
 * list but still counted as cover, as the map has always counted them.
 */
#define G_LOG_DOMAIN "WgGridPeople"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wg-grid-people.h"

struct _WgGridPeople
{
  GHashTable *people;   /* person id → JsonObject */
  GHashTable *covers;   /* target id → GPtrArray of Cover */
};

typedef struct
{
  char *person_id;
  char *kind;           /* the assignment's kind: grid, group or village */
} Cover;

static void
cover_free (gpointer data)
{
  Cover *cover = data;

  g_free (cover->person_id);
  g_free (cover->kind);
  g_free (cover);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
array_string (JsonArray *array,
              guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

void
wg_grid_contact_free (WgGridContact *contact)
{
  if (contact == NULL)
    return;

  g_free (contact->person_id);
  g_free (contact->name);
  g_free (contact->phone);
  g_free (contact->covers);
  g_free (contact);
}

const char *
wg_grid_role_label (WgGridRole role)
{
  switch (role)
    {
    case WG_GRID_ROLE_LEADER:
      return C_("role", "Grid leader");
    case WG_GRID_ROLE_INSTRUCTOR:
      return C_("role", "Grid instructor");
    case WG_GRID_ROLE_WORKER:
      return C_("role", "Grid worker");
    case WG_GRID_ROLE_COVERING_CADRE:
    default:
      return C_("role", "Covering cadre");
    }
}

/* @people and @assignments are records (JsonObject) as the cache holds them; they are kept,
 * not copied. Household assignments are skipped. */
WgGridPeople *
wg_grid_people_new (GPtrArray *people,
                    GPtrArray *assignments)
{
  WgGridPeople *self = g_new0 (WgGridPeople, 1);

  self->people = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) json_object_unref);
  self->covers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      const char *id = member (people->pdata[i], "id");

      /* The key points into the record, which the table holds. */
      if (id != NULL)
        g_hash_table_replace (self->people, (gpointer) id, json_object_ref (people->pdata[i]));
    }

  for (guint i = 0; assignments != NULL && i < assignments->len; i++)
    {
      JsonObject *assignment = assignments->pdata[i];
      const char *kind = member (assignment, "kind");
      const char *target = member (assignment, "target_id");
      const char *person = member (assignment, "person_id");
      GPtrArray *covers;
      Cover *cover;

      if (g_strcmp0 (kind, "households") == 0 || target == NULL || person == NULL)
        continue;
      if ((covers = g_hash_table_lookup (self->covers, target)) == NULL)
        {
          covers = g_ptr_array_new_with_free_func (cover_free);
          g_hash_table_insert (self->covers, g_strdup (target), covers);
        }
      cover = g_new0 (Cover, 1);
      cover->person_id = g_strdup (person);
      cover->kind = g_strdup (kind);
      g_ptr_array_add (covers, cover);
    }

  return self;
}

void
wg_grid_people_free (WgGridPeople *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->people);
  g_hash_table_unref (self->covers);
  g_free (self);
}

static guint
cover_count (WgGridPeople *self,
             const char   *target)
{
  GPtrArray *covers = target != NULL ? g_hash_table_lookup (self->covers, target) : NULL;

  return covers != NULL ? covers->len : 0;
}

static void
add_contact (WgGridPeople *self,
             GPtrArray    *contacts,
             const char   *person_id,
             WgGridRole    role,
             const char   *covers)
{
  JsonObject *person = person_id != NULL ? g_hash_table_lookup (self->people, person_id) : NULL;
  WgGridContact *contact;

  if (person == NULL)
    return;
  contact = g_new0 (WgGridContact, 1);
  contact->role = role;
  contact->person_id = g_strdup (person_id);
  contact->name = g_strdup (member (person, "name") != NULL ? member (person, "name") : "");
  contact->phone = g_strdup (member (person, "phone"));
  contact->covers = g_strdup (covers);
  g_ptr_array_add (contacts, contact);
}

static void
add_covering (WgGridPeople *self,
              GPtrArray    *contacts,
              const char   *target)
{
  GPtrArray *covers = target != NULL ? g_hash_table_lookup (self->covers, target) : NULL;

  for (guint i = 0; covers != NULL && i < covers->len; i++)
    {
      Cover *cover = covers->pdata[i];

      add_contact (self, contacts, cover->person_id, WG_GRID_ROLE_COVERING_CADRE, cover->kind);
    }
}

/* The people of @grid (a grid record), as WgGridContact: leader, instructor, workers, then the
 * cadres covering the grid, its groups and its village, in that order. */
GPtrArray *
wg_grid_people_list (WgGridPeople *self,
                     JsonObject   *grid)
{
  GPtrArray *contacts;
  JsonArray *workers;
  JsonArray *groups;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (grid != NULL, NULL);

  contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) wg_grid_contact_free);
  workers = member_array (grid, "grid_worker_ids");
  groups = member_array (grid, "group_ids");

  add_contact (self, contacts, member (grid, "grid_leader_id"), WG_GRID_ROLE_LEADER, NULL);
  add_contact (self, contacts, member (grid, "grid_instructor_id"), WG_GRID_ROLE_INSTRUCTOR, NULL);
  for (guint i = 0; workers != NULL && i < json_array_get_length (workers); i++)
    add_contact (self, contacts, array_string (workers, i), WG_GRID_ROLE_WORKER, NULL);
  add_covering (self, contacts, member (grid, "id"));
  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    add_covering (self, contacts, array_string (groups, i));
  add_covering (self, contacts, member (grid, "village_id"));

  return contacts;
}

/* How many assignments cover @grid: of the grid itself, its groups and its village. */
guint
wg_grid_people_count_cadres (WgGridPeople *self,
                             JsonObject   *grid)
{
  JsonArray *groups;
  guint count;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (grid != NULL, 0);

  groups = member_array (grid, "group_ids");
  count = cover_count (self, member (grid, "id")) + cover_count (self, member (grid, "village_id"));
  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    count += cover_count (self, array_string (groups, i));
  return count;
}

/* The people of the grid @grid_id straight from @store, reading only that grid's assignments
 * and people. It blocks: call it from a worker thread. */
GPtrArray *
wg_grid_people_load (WgStore     *store,
                     const char  *grid_id,
                     GError     **error)
{
  g_autoptr(JsonObject) grid = NULL;
  g_autoptr(GStrvBuilder) targets = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) wanted = g_strv_builder_new ();
  g_autoptr(GPtrArray) assignments = NULL;
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(WgGridPeople) directory = NULL;
  g_auto(GStrv) target_ids = NULL;
  g_auto(GStrv) person_ids = NULL;
  JsonArray *groups;
  JsonArray *workers;

  g_return_val_if_fail (WG_IS_STORE (store), NULL);
  g_return_val_if_fail (grid_id != NULL, NULL);

  if ((grid = wg_store_get_record (store, "grids", grid_id, error)) == NULL)
    return NULL;

  g_strv_builder_add (targets, grid_id);
  if (member (grid, "village_id") != NULL)
    g_strv_builder_add (targets, member (grid, "village_id"));
  groups = member_array (grid, "group_ids");
  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    if (array_string (groups, i) != NULL)
      g_strv_builder_add (targets, array_string (groups, i));
  target_ids = g_strv_builder_end (targets);
  assignments = wg_store_list_records_with (store, "assignments", "target_id", (const char * const *) target_ids, error);
  if (assignments == NULL)
    return NULL;

  if (member (grid, "grid_leader_id") != NULL)
    g_strv_builder_add (wanted, member (grid, "grid_leader_id"));
  if (member (grid, "grid_instructor_id") != NULL)
    g_strv_builder_add (wanted, member (grid, "grid_instructor_id"));
  workers = member_array (grid, "grid_worker_ids");
  for (guint i = 0; workers != NULL && i < json_array_get_length (workers); i++)
    if (array_string (workers, i) != NULL)
      g_strv_builder_add (wanted, array_string (workers, i));
  for (guint i = 0; i < assignments->len; i++)
    if (member (assignments->pdata[i], "person_id") != NULL)
      g_strv_builder_add (wanted, member (assignments->pdata[i], "person_id"));
  person_ids = g_strv_builder_end (wanted);

  for (guint i = 0; person_ids[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      JsonObject *person = wg_store_get_record (store, "people", person_ids[i], &local_error);

      if (person != NULL)
        g_ptr_array_add (people, person);
      else if (local_error != NULL && !g_error_matches (local_error, WG_STORE_ERROR, WG_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  directory = wg_grid_people_new (people, assignments);
  return wg_grid_people_list (directory, grid);
}
