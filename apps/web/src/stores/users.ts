import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useApi, type NewUser, type PermissionInfo, type Role, type User } from '../api';

/** Users and roles by id, and the permission catalogue. */
export const useUsersStore = defineStore('users', () => {
  const api = useApi();
  const usersById = ref<Record<number, User>>({});
  const rolesById = ref<Record<number, Role>>({});
  const permissions = ref<PermissionInfo[]>([]);
  const loading = ref(false);

  const users = computed(() =>
    Object.values(usersById.value).sort((a, b) => a.username.localeCompare(b.username)),
  );
  const roles = computed(() => Object.values(rolesById.value).sort((a, b) => a.name.localeCompare(b.name)));

  async function loadUsers(): Promise<void> {
    loading.value = true;
    try {
      const answer = await api.users.list({ limit: 1000 });
      usersById.value = Object.fromEntries(answer.items.map((user) => [user.id, user]));
    } finally {
      loading.value = false;
    }
  }

  async function loadRoles(): Promise<void> {
    const [roleList, permissionList] = await Promise.all([api.roles.list(), api.roles.permissions()]);
    rolesById.value = Object.fromEntries(roleList.items.map((role) => [role.id, role]));
    permissions.value = permissionList.items;
  }

  async function saveUser(id: number | null, body: NewUser): Promise<void> {
    // The username is fixed once created; an empty password keeps the current one.
    const { username: _username, password, ...changes } = body;
    const saved =
      id === null
        ? await api.users.create(body)
        : await api.users.update(id, password ? { ...changes, password } : changes);
    usersById.value[saved.id] = saved;
  }

  async function removeUser(id: number): Promise<void> {
    await api.users.remove(id);
    delete usersById.value[id];
  }

  async function saveRole(
    id: number | null,
    body: { name: string; description: string; permissions: string[] },
  ) {
    const saved = id === null ? await api.roles.create(body) : await api.roles.update(id, body);
    rolesById.value[saved.id] = saved;
  }

  async function removeRole(id: number): Promise<void> {
    await api.roles.remove(id);
    delete rolesById.value[id];
  }

  return {
    usersById,
    rolesById,
    users,
    roles,
    permissions,
    loading,
    loadUsers,
    loadRoles,
    saveUser,
    removeUser,
    saveRole,
    removeRole,
  };
});
